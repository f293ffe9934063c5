using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class HeadEnd : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "meter_commands",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    meter_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    meter_number = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    arguments = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    next_attempt_at = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: false),
                    sent_at = table.Column<long>(type: "INTEGER", nullable: true),
                    acknowledged_at = table.Column<long>(type: "INTEGER", nullable: true),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    reference = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_meter_commands", x => x.id);
                    table.ForeignKey(
                        name: "fk_meter_commands_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "meter_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    meter_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    details = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    received_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_meter_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_meter_events_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "meter_status",
                columns: table => new
                {
                    meter_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    online = table.Column<bool>(type: "INTEGER", nullable: false),
                    last_seen_at = table.Column<long>(type: "INTEGER", nullable: false),
                    relay = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    credit_wh = table.Column<long>(type: "INTEGER", nullable: true),
                    energy_wh = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_meter_status", x => x.meter_id);
                    table.ForeignKey(
                        name: "fk_meter_status_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "payload_rejections",
                columns: table => new
                {
                    meter_number = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    count = table.Column<long>(type: "INTEGER", nullable: false),
                    last_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payload_rejections", x => new { x.meter_number, x.reason });
                });

            migrationBuilder.CreateTable(
                name: "readings",
                columns: table => new
                {
                    meter_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    energy_wh = table.Column<long>(type: "INTEGER", nullable: false),
                    delta_wh = table.Column<long>(type: "INTEGER", nullable: false),
                    credit_wh = table.Column<long>(type: "INTEGER", nullable: false),
                    voltage_dv = table.Column<int>(type: "INTEGER", nullable: false),
                    current_ma = table.Column<int>(type: "INTEGER", nullable: false),
                    power_w = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_readings", x => new { x.meter_id, x.at });
                    table.ForeignKey(
                        name: "fk_readings_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_meter_commands_meter_id_created_at",
                table: "meter_commands",
                columns: new[] { "meter_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_meter_commands_state_next_attempt_at",
                table: "meter_commands",
                columns: new[] { "state", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "ix_meter_events_meter_id_at_type",
                table: "meter_events",
                columns: new[] { "meter_id", "at", "type" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "meter_commands");

            migrationBuilder.DropTable(
                name: "meter_events");

            migrationBuilder.DropTable(
                name: "meter_status");

            migrationBuilder.DropTable(
                name: "payload_rejections");

            migrationBuilder.DropTable(
                name: "readings");
        }
    }
}
