using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Prepay.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CentralCredit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "central_credit_adjustments",
                columns: table => new
                {
                    adjustment_id = table.Column<long>(type: "bigint", nullable: false),
                    meter_id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<long>(type: "bigint", nullable: false),
                    correction_minor = table.Column<long>(type: "bigint", nullable: false),
                    transaction_id = table.Column<Guid>(type: "uuid", nullable: true),
                    posted_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_central_credit_adjustments", x => x.adjustment_id);
                    table.ForeignKey(
                        name: "fk_central_credit_adjustments_ledger_transactions_transaction_~",
                        column: x => x.transaction_id,
                        principalTable: "ledger_transactions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_central_credit_adjustments_reading_adjustments_adjustment_id",
                        column: x => x.adjustment_id,
                        principalTable: "reading_adjustments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "central_credit_days",
                columns: table => new
                {
                    meter_id = table.Column<Guid>(type: "uuid", nullable: false),
                    day = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_central_credit_days", x => new { x.meter_id, x.day });
                    table.ForeignKey(
                        name: "fk_central_credit_days_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "central_credit_intervals",
                columns: table => new
                {
                    meter_id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<long>(type: "bigint", nullable: false),
                    start = table.Column<long>(type: "bigint", nullable: false),
                    month = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    wh = table.Column<long>(type: "bigint", nullable: false),
                    month_position_wh = table.Column<long>(type: "bigint", nullable: false),
                    charged_minor = table.Column<long>(type: "bigint", nullable: false),
                    debt_recovered_minor = table.Column<long>(type: "bigint", nullable: false),
                    tariff_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    tariff_version = table.Column<int>(type: "integer", nullable: false),
                    transaction_id = table.Column<Guid>(type: "uuid", nullable: true),
                    priced_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_central_credit_intervals", x => new { x.meter_id, x.at });
                    table.ForeignKey(
                        name: "fk_central_credit_intervals_ledger_transactions_transaction_id",
                        column: x => x.transaction_id,
                        principalTable: "ledger_transactions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_central_credit_intervals_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "central_credit_states",
                columns: table => new
                {
                    meter_id = table.Column<Guid>(type: "uuid", nullable: false),
                    priced_from = table.Column<long>(type: "bigint", nullable: false),
                    priced_until = table.Column<long>(type: "bigint", nullable: true),
                    exhausted = table.Column<bool>(type: "boolean", nullable: false),
                    changed_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_central_credit_states", x => x.meter_id);
                    table.ForeignKey(
                        name: "fk_central_credit_states_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "meter_credit_models",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    meter_id = table.Column<Guid>(type: "uuid", nullable: false),
                    model = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    effective_from = table.Column<long>(type: "bigint", nullable: false),
                    actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    recorded_at = table.Column<long>(type: "bigint", nullable: false),
                    carried_in_minor = table.Column<long>(type: "bigint", nullable: false),
                    transaction_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_meter_credit_models", x => x.id);
                    table.CheckConstraint("ck_meter_credit_models_model", "model IN ('meter', 'central')");
                    table.ForeignKey(
                        name: "fk_meter_credit_models_ledger_transactions_transaction_id",
                        column: x => x.transaction_id,
                        principalTable: "ledger_transactions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_meter_credit_models_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_central_credit_adjustments_transaction_id",
                table: "central_credit_adjustments",
                column: "transaction_id");

            migrationBuilder.CreateIndex(
                name: "ix_central_credit_intervals_meter_id_month",
                table: "central_credit_intervals",
                columns: new[] { "meter_id", "month" });

            migrationBuilder.CreateIndex(
                name: "ix_central_credit_intervals_transaction_id",
                table: "central_credit_intervals",
                column: "transaction_id");

            migrationBuilder.CreateIndex(
                name: "ix_meter_credit_models_meter_id_effective_from",
                table: "meter_credit_models",
                columns: new[] { "meter_id", "effective_from" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_meter_credit_models_transaction_id",
                table: "meter_credit_models",
                column: "transaction_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "central_credit_adjustments");

            migrationBuilder.DropTable(
                name: "central_credit_days");

            migrationBuilder.DropTable(
                name: "central_credit_intervals");

            migrationBuilder.DropTable(
                name: "central_credit_states");

            migrationBuilder.DropTable(
                name: "meter_credit_models");
        }
    }
}
