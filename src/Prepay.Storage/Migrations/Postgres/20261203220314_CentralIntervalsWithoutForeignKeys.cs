using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CentralIntervalsWithoutForeignKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_central_credit_intervals_ledger_transactions_transaction_id",
                table: "central_credit_intervals");

            migrationBuilder.DropForeignKey(
                name: "fk_central_credit_intervals_meters_meter_id",
                table: "central_credit_intervals");

            migrationBuilder.DropIndex(
                name: "ix_central_credit_intervals_transaction_id",
                table: "central_credit_intervals");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_central_credit_intervals_transaction_id",
                table: "central_credit_intervals",
                column: "transaction_id");

            migrationBuilder.AddForeignKey(
                name: "fk_central_credit_intervals_ledger_transactions_transaction_id",
                table: "central_credit_intervals",
                column: "transaction_id",
                principalTable: "ledger_transactions",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_central_credit_intervals_meters_meter_id",
                table: "central_credit_intervals",
                column: "meter_id",
                principalTable: "meters",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }
    }
}
