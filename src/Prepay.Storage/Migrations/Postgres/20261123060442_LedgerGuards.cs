using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Postgres
{
    /// <summary>
    /// The database's own guards on money: a posting is applied to both its accounts' balances by a trigger (so a
    /// balance is always what its postings say, and the accounts' CHECK refuses an overdraft); a balance cannot be
    /// changed by anything but that trigger; postings and ledger transactions can be neither updated nor deleted.
    /// </summary>
    public partial class LedgerGuards : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION ledger_apply_posting() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE accounts SET balance = balance - NEW.amount WHERE id = NEW.debit_account_id;
                    UPDATE accounts SET balance = balance + NEW.amount WHERE id = NEW.credit_account_id;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER ledger_postings_apply AFTER INSERT ON ledger_postings FOR EACH ROW EXECUTE FUNCTION ledger_apply_posting();

                CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION '% is insert-only', TG_TABLE_NAME;
                END $$;
                CREATE TRIGGER ledger_postings_insert_only BEFORE UPDATE OR DELETE ON ledger_postings FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
                CREATE TRIGGER ledger_transactions_insert_only BEFORE UPDATE OR DELETE ON ledger_transactions FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

                -- Only the posting trigger (one level down) may move a balance; a direct UPDATE of it is refused.
                CREATE FUNCTION accounts_balance_from_postings_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.balance IS DISTINCT FROM OLD.balance AND pg_trigger_depth() < 2 THEN
                        RAISE EXCEPTION 'account balances change only through ledger postings';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER accounts_balance_guard BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION accounts_balance_from_postings_only();
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS accounts_balance_guard ON accounts;
                DROP TRIGGER IF EXISTS ledger_transactions_insert_only ON ledger_transactions;
                DROP TRIGGER IF EXISTS ledger_postings_insert_only ON ledger_postings;
                DROP TRIGGER IF EXISTS ledger_postings_apply ON ledger_postings;
                DROP FUNCTION IF EXISTS accounts_balance_from_postings_only();
                DROP FUNCTION IF EXISTS ledger_refuse_change();
                DROP FUNCTION IF EXISTS ledger_apply_posting();
                """);
        }
    }
}
