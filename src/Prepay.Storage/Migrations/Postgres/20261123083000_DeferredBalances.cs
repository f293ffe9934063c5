using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Postgres
{
    /// <summary>
    /// Postings reach their accounts' balances at COMMIT instead of at INSERT. A vendor's float, the revenue and the
    /// tax accounts are touched by every sale; with the balance written at INSERT, each sale held those rows locked
    /// for the rest of its transaction, and all sales queued behind one another for that whole time. Deferred to the
    /// commit, the rows are locked only while the transaction commits. Nothing is weaker: the same trigger applies
    /// every posting, the accounts' CHECK still refuses an overdraft (the COMMIT fails and nothing is written), and
    /// the balance guard still refuses any other change. Each posting updates its two accounts in id order.
    /// PostgreSQL only: SQLite admits one writer at a time, so its immediate trigger holds nothing longer.
    /// </summary>
    [DbContext(typeof(PostgresDb))]
    [Migration("20261123083000_DeferredBalances")]
    public partial class DeferredBalances : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER ledger_postings_apply ON ledger_postings;
                CREATE OR REPLACE FUNCTION ledger_apply_posting() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.debit_account_id < NEW.credit_account_id THEN
                        UPDATE accounts SET balance = balance - NEW.amount WHERE id = NEW.debit_account_id;
                        UPDATE accounts SET balance = balance + NEW.amount WHERE id = NEW.credit_account_id;
                    ELSE
                        UPDATE accounts SET balance = balance + NEW.amount WHERE id = NEW.credit_account_id;
                        UPDATE accounts SET balance = balance - NEW.amount WHERE id = NEW.debit_account_id;
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE CONSTRAINT TRIGGER ledger_postings_apply AFTER INSERT ON ledger_postings
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_apply_posting();
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER ledger_postings_apply ON ledger_postings;
                CREATE OR REPLACE FUNCTION ledger_apply_posting() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE accounts SET balance = balance - NEW.amount WHERE id = NEW.debit_account_id;
                    UPDATE accounts SET balance = balance + NEW.amount WHERE id = NEW.credit_account_id;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER ledger_postings_apply AFTER INSERT ON ledger_postings FOR EACH ROW EXECUTE FUNCTION ledger_apply_posting();
                """);
        }
    }
}
