using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InsertOnlyRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // What happened stays as it happened (OWASP ASVS V16, audit integrity): the audit log, sales, their
            // reversals, management tokens and payment callbacks can be neither changed nor deleted (the ledger's
            // refusal function, LedgerGuards). TRUNCATE is a table owner's act, outside what the application does.
            migrationBuilder.Sql("""
                CREATE TRIGGER audit_insert_only BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
                CREATE TRIGGER vends_insert_only BEFORE UPDATE OR DELETE ON vends FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
                CREATE TRIGGER vend_reversals_insert_only BEFORE UPDATE OR DELETE ON vend_reversals FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
                CREATE TRIGGER management_tokens_insert_only BEFORE UPDATE OR DELETE ON management_tokens FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
                CREATE TRIGGER payment_callbacks_insert_only BEFORE UPDATE OR DELETE ON payment_callbacks FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS audit_insert_only ON audit;
                DROP TRIGGER IF EXISTS vends_insert_only ON vends;
                DROP TRIGGER IF EXISTS vend_reversals_insert_only ON vend_reversals;
                DROP TRIGGER IF EXISTS management_tokens_insert_only ON management_tokens;
                DROP TRIGGER IF EXISTS payment_callbacks_insert_only ON payment_callbacks;
                """);
        }
    }
}
