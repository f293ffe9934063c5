using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Prepay.Storage.Migrations.Postgres
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
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    meter_id = table.Column<Guid>(type: "uuid", nullable: false),
                    meter_number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    type = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    arguments = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    state = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    next_attempt_at = table.Column<long>(type: "bigint", nullable: false),
                    expires_at = table.Column<long>(type: "bigint", nullable: false),
                    sent_at = table.Column<long>(type: "bigint", nullable: true),
                    acknowledged_at = table.Column<long>(type: "bigint", nullable: true),
                    outcome = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    reference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
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
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    meter_id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<long>(type: "bigint", nullable: false),
                    type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    details = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    received_at = table.Column<long>(type: "bigint", nullable: false)
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
                    meter_id = table.Column<Guid>(type: "uuid", nullable: false),
                    online = table.Column<bool>(type: "boolean", nullable: false),
                    last_seen_at = table.Column<long>(type: "bigint", nullable: false),
                    relay = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    credit_wh = table.Column<long>(type: "bigint", nullable: true),
                    energy_wh = table.Column<long>(type: "bigint", nullable: true)
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
                    meter_number = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    reason = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    count = table.Column<long>(type: "bigint", nullable: false),
                    last_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payload_rejections", x => new { x.meter_number, x.reason });
                });

            migrationBuilder.CreateTable(
                name: "readings",
                columns: table => new
                {
                    meter_id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<long>(type: "bigint", nullable: false),
                    energy_wh = table.Column<long>(type: "bigint", nullable: false),
                    delta_wh = table.Column<long>(type: "bigint", nullable: false),
                    credit_wh = table.Column<long>(type: "bigint", nullable: false),
                    voltage_dv = table.Column<int>(type: "integer", nullable: false),
                    current_ma = table.Column<int>(type: "integer", nullable: false),
                    power_w = table.Column<int>(type: "integer", nullable: false)
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
