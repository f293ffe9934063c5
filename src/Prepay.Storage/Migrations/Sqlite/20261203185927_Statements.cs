using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Statements : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "fixed_charges_minor",
                table: "central_credit_intervals",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "statement_digests",
                columns: table => new
                {
                    customer_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    frequency = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    changed_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_statement_digests", x => x.customer_id);
                    table.ForeignKey(
                        name: "fk_statement_digests_customers_customer_id",
                        column: x => x.customer_id,
                        principalTable: "customers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "statement_disputes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    customer_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    meter_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    meter_number = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    day = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    line_kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    text = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    raised_at = table.Column<long>(type: "INTEGER", nullable: false),
                    raised_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    answer = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    answered_at = table.Column<long>(type: "INTEGER", nullable: true),
                    answered_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_statement_disputes", x => x.id);
                    table.CheckConstraint("ck_statement_disputes_answer", "(state = 'Open') = (answer IS NULL)");
                    table.CheckConstraint("ck_statement_disputes_state", "state IN ('Open', 'Resolved', 'Rejected')");
                    table.ForeignKey(
                        name: "fk_statement_disputes_customers_customer_id",
                        column: x => x.customer_id,
                        principalTable: "customers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_statement_disputes_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_statement_disputes_customer_id_day",
                table: "statement_disputes",
                columns: new[] { "customer_id", "day" });

            migrationBuilder.CreateIndex(
                name: "ix_statement_disputes_meter_id",
                table: "statement_disputes",
                column: "meter_id");

            migrationBuilder.CreateIndex(
                name: "ix_statement_disputes_state_raised_at",
                table: "statement_disputes",
                columns: new[] { "state", "raised_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "statement_digests");

            migrationBuilder.DropTable(
                name: "statement_disputes");

            migrationBuilder.DropColumn(
                name: "fixed_charges_minor",
                table: "central_credit_intervals");
        }
    }
}
