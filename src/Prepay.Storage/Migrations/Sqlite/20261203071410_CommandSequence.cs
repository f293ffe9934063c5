using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CommandSequence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "last_command_seq",
                table: "meters",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "seq",
                table: "meter_commands",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // Commands queued before sequence numbers: numbered per meter in the order they were queued.
            migrationBuilder.Sql("UPDATE meter_commands SET seq = (SELECT count(*) FROM meter_commands o WHERE o.meter_id = meter_commands.meter_id AND (o.created_at < meter_commands.created_at OR (o.created_at = meter_commands.created_at AND o.id <= meter_commands.id)));");
            migrationBuilder.Sql("UPDATE meters SET last_command_seq = COALESCE((SELECT max(c.seq) FROM meter_commands c WHERE c.meter_id = meters.id), 0);");

            migrationBuilder.CreateIndex(
                name: "ix_meter_commands_meter_id_seq",
                table: "meter_commands",
                columns: new[] { "meter_id", "seq" },
                unique: true);

            // Each command takes its meter's next sequence number as it is inserted, inside the insert's statement and
            // under SQLite's one writer, so no two commands share a number and none is committed out of order.
            migrationBuilder.Sql("""
                CREATE TRIGGER meter_commands_seq AFTER INSERT ON meter_commands
                BEGIN
                    UPDATE meters SET last_command_seq = last_command_seq + 1 WHERE id = NEW.meter_id;
                    UPDATE meter_commands SET seq = (SELECT last_command_seq FROM meters WHERE id = NEW.meter_id) WHERE id = NEW.id;
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS meter_commands_seq;");
            migrationBuilder.DropIndex(
                name: "ix_meter_commands_meter_id_seq",
                table: "meter_commands");

            migrationBuilder.DropColumn(
                name: "last_command_seq",
                table: "meters");

            migrationBuilder.DropColumn(
                name: "seq",
                table: "meter_commands");
        }
    }
}
