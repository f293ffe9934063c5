using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DisconnectionGate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "disconnection_decisions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    meter_id = table.Column<Guid>(type: "uuid", nullable: false),
                    meter_number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    at = table.Column<long>(type: "bigint", nullable: false),
                    reason = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    verdict = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    rule = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    sentence = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    policy_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    policy_version = table.Column<int>(type: "integer", nullable: false),
                    next_allowed_at = table.Column<long>(type: "bigint", nullable: true),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    retry_at = table.Column<long>(type: "bigint", nullable: true),
                    command_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    command_arguments = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    command_reference = table.Column<string>(type: "character varying(600)", maxLength: 600, nullable: true),
                    command_id = table.Column<Guid>(type: "uuid", nullable: true),
                    requested_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    overrides_decision_id = table.Column<Guid>(type: "uuid", nullable: true),
                    approval_id = table.Column<Guid>(type: "uuid", nullable: true),
                    note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_disconnection_decisions", x => x.id);
                    table.ForeignKey(
                        name: "fk_disconnection_decisions_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_disconnection_decisions_command_id",
                table: "disconnection_decisions",
                column: "command_id");

            migrationBuilder.CreateIndex(
                name: "ix_disconnection_decisions_meter_id_at",
                table: "disconnection_decisions",
                columns: new[] { "meter_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_disconnection_decisions_state_retry_at",
                table: "disconnection_decisions",
                columns: new[] { "state", "retry_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "disconnection_decisions");
        }
    }
}
