using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InsertOnlyRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // What happened stays as it happened (OWASP ASVS V16, audit integrity): the audit log, sales, their
            // reversals, management tokens and payment callbacks can be neither changed nor deleted.
            migrationBuilder.Sql("CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is insert-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is insert-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER vends_no_update BEFORE UPDATE ON vends BEGIN SELECT RAISE(ABORT, 'vends is insert-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER vends_no_delete BEFORE DELETE ON vends BEGIN SELECT RAISE(ABORT, 'vends is insert-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER vend_reversals_no_update BEFORE UPDATE ON vend_reversals BEGIN SELECT RAISE(ABORT, 'vend_reversals is insert-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER vend_reversals_no_delete BEFORE DELETE ON vend_reversals BEGIN SELECT RAISE(ABORT, 'vend_reversals is insert-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER management_tokens_no_update BEFORE UPDATE ON management_tokens BEGIN SELECT RAISE(ABORT, 'management_tokens is insert-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER management_tokens_no_delete BEFORE DELETE ON management_tokens BEGIN SELECT RAISE(ABORT, 'management_tokens is insert-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER payment_callbacks_no_update BEFORE UPDATE ON payment_callbacks BEGIN SELECT RAISE(ABORT, 'payment_callbacks is insert-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER payment_callbacks_no_delete BEFORE DELETE ON payment_callbacks BEGIN SELECT RAISE(ABORT, 'payment_callbacks is insert-only'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_no_update;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_no_delete;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS vends_no_update;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS vends_no_delete;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS vend_reversals_no_update;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS vend_reversals_no_delete;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS management_tokens_no_update;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS management_tokens_no_delete;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS payment_callbacks_no_update;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS payment_callbacks_no_delete;");
        }
    }
}
