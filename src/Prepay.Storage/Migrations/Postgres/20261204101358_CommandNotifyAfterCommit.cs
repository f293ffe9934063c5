using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Postgres
{
    /// <summary>
    /// The notification of new commands leaves the transaction that queued them. A trigger's NOTIFY made PostgreSQL
    /// take its notification queue's lock at that transaction's commit and hold it until the commit was flushed (and,
    /// with synchronous replication, on the standby), so the commits of all vends to smart meters ran one at a time.
    /// Nodes now notify after the commit, from a connection of their own pool (Prepay.HeadEnd CommandNotifications).
    /// PostgreSQL only, like the trigger it drops.
    /// </summary>
    public partial class CommandNotifyAfterCommit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS meter_commands_notify ON meter_commands;");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS meter_commands_notify();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION meter_commands_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('prepay_commands', '');
                    RETURN NULL;
                END $$;
                """);
            migrationBuilder.Sql("CREATE TRIGGER meter_commands_notify AFTER INSERT ON meter_commands FOR EACH STATEMENT EXECUTE FUNCTION meter_commands_notify();");
        }
    }
}
