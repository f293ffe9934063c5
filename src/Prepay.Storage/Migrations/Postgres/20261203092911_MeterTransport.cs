using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MeterTransport : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "transport",
                table: "meters",
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "mqtt");

            migrationBuilder.AddCheckConstraint(
                name: "ck_meters_transport",
                table: "meters",
                sql: "transport IN ('mqtt', 'dlms')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_meters_transport",
                table: "meters");

            migrationBuilder.DropColumn(
                name: "transport",
                table: "meters");
        }
    }
}
