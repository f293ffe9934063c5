using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FreeBasic : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "free_basic_month",
                table: "vends",
                type: "TEXT",
                maxLength: 7,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ux_vends_free_basic_month",
                table: "vends",
                columns: new[] { "meter_id", "free_basic_month" },
                unique: true,
                filter: "free_basic_month IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_vends_free_basic_month",
                table: "vends");

            migrationBuilder.DropColumn(
                name: "free_basic_month",
                table: "vends");
        }
    }
}
