using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Sqlite
{
    /// <summary>
    /// The database's own guards on money: a posting is applied to both its accounts' balances by a trigger (so a
    /// balance is always what its postings say, and the accounts' CHECK refuses an overdraft), and postings and
    /// ledger transactions can be neither updated nor deleted.
    /// </summary>
    public partial class LedgerGuards : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TRIGGER ledger_postings_apply AFTER INSERT ON ledger_postings
                BEGIN
                    UPDATE accounts SET balance = balance - NEW.amount WHERE id = NEW.debit_account_id;
                    UPDATE accounts SET balance = balance + NEW.amount WHERE id = NEW.credit_account_id;
                END;
                """);
            migrationBuilder.Sql("CREATE TRIGGER ledger_postings_no_update BEFORE UPDATE ON ledger_postings BEGIN SELECT RAISE(ABORT, 'ledger postings are insert-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER ledger_postings_no_delete BEFORE DELETE ON ledger_postings BEGIN SELECT RAISE(ABORT, 'ledger postings are insert-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER ledger_transactions_no_update BEFORE UPDATE ON ledger_transactions BEGIN SELECT RAISE(ABORT, 'ledger transactions are insert-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER ledger_transactions_no_delete BEFORE DELETE ON ledger_transactions BEGIN SELECT RAISE(ABORT, 'ledger transactions are insert-only'); END;");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var t in new[] { "ledger_postings_apply", "ledger_postings_no_update", "ledger_postings_no_delete", "ledger_transactions_no_update", "ledger_transactions_no_delete" })
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {t};");
            }
        }
    }
}
