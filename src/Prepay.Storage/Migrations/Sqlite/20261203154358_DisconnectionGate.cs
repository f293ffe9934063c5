using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Sqlite
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
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    meter_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    meter_number = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    verdict = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    rule = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    sentence = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    policy_code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    policy_version = table.Column<int>(type: "INTEGER", nullable: false),
                    next_allowed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    state = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    retry_at = table.Column<long>(type: "INTEGER", nullable: true),
                    command_type = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    command_arguments = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    command_reference = table.Column<string>(type: "TEXT", maxLength: 600, nullable: true),
                    command_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    requested_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    overrides_decision_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    approval_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
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
