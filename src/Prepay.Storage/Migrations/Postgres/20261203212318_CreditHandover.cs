using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CreditHandover : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "carried_out_minor",
                table: "meter_credit_models",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "carried_out_wh",
                table: "meter_credit_models",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "handed_over_at",
                table: "meter_credit_models",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "handed_over_emergency_owed_wh",
                table: "meter_credit_models",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "handed_over_wh",
                table: "meter_credit_models",
                type: "bigint",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "carried_out_minor",
                table: "meter_credit_models");

            migrationBuilder.DropColumn(
                name: "carried_out_wh",
                table: "meter_credit_models");

            migrationBuilder.DropColumn(
                name: "handed_over_at",
                table: "meter_credit_models");

            migrationBuilder.DropColumn(
                name: "handed_over_emergency_owed_wh",
                table: "meter_credit_models");

            migrationBuilder.DropColumn(
                name: "handed_over_wh",
                table: "meter_credit_models");
        }
    }
}
