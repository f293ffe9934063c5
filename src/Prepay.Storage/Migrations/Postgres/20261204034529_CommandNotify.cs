using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CommandNotify : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Every statement that queues commands notifies prepay_commands once (not once a row: a batch of vends is
            // one wake), delivered when its transaction commits and never if it rolls back. Each node's listener wakes
            // its dispatcher (Prepay.HeadEnd CommandNotifications). PostgreSQL only: on SQLite one process queues and
            // dispatches, and wakes itself. The model is unchanged, so there is no SQLite migration of this name.
            migrationBuilder.Sql("""
                CREATE FUNCTION meter_commands_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('prepay_commands', '');
                    RETURN NULL;
                END $$;
                """);
            migrationBuilder.Sql("CREATE TRIGGER meter_commands_notify AFTER INSERT ON meter_commands FOR EACH STATEMENT EXECUTE FUNCTION meter_commands_notify();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS meter_commands_notify ON meter_commands;");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS meter_commands_notify();");
        }
    }
}
