using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BalanceComparisons : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "displayed_balance_at",
                table: "meter_status",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "displayed_balance_currency",
                table: "meter_status",
                type: "character varying(3)",
                maxLength: 3,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "displayed_balance_minor",
                table: "meter_status",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "display_command_id",
                table: "central_credit_states",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "display_minor",
                table: "central_credit_states",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "display_queued_at",
                table: "central_credit_states",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "balance_comparisons",
                columns: table => new
                {
                    meter_id = table.Column<Guid>(type: "uuid", nullable: false),
                    day = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    meter_number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    model = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    unit = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: true),
                    meter_view = table.Column<long>(type: "bigint", nullable: true),
                    meter_view_at = table.Column<long>(type: "bigint", nullable: true),
                    server_view = table.Column<long>(type: "bigint", nullable: true),
                    difference = table.Column<long>(type: "bigint", nullable: false),
                    reported = table.Column<bool>(type: "boolean", nullable: false),
                    explanation = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    compared_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_balance_comparisons", x => new { x.meter_id, x.day });
                    table.CheckConstraint("ck_balance_comparisons_model", "model IN ('meter', 'central') AND unit IN ('minor', 'Wh')");
                    table.ForeignKey(
                        name: "fk_balance_comparisons_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_balance_comparisons_day_reported",
                table: "balance_comparisons",
                columns: new[] { "day", "reported" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "balance_comparisons");

            migrationBuilder.DropColumn(
                name: "displayed_balance_at",
                table: "meter_status");

            migrationBuilder.DropColumn(
                name: "displayed_balance_currency",
                table: "meter_status");

            migrationBuilder.DropColumn(
                name: "displayed_balance_minor",
                table: "meter_status");

            migrationBuilder.DropColumn(
                name: "display_command_id",
                table: "central_credit_states");

            migrationBuilder.DropColumn(
                name: "display_minor",
                table: "central_credit_states");

            migrationBuilder.DropColumn(
                name: "display_queued_at",
                table: "central_credit_states");
        }
    }
}
