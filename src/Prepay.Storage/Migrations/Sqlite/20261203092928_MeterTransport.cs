using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MeterTransport : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // One statement, the check as a column constraint: SQLite adds that in place (ALTER TABLE … ADD COLUMN),
            // where a table check would make EF Core rebuild "meters", which the triggers naming it do not survive.
            migrationBuilder.Sql("ALTER TABLE meters ADD COLUMN transport TEXT NOT NULL DEFAULT 'mqtt' CONSTRAINT ck_meters_transport CHECK (transport IN ('mqtt', 'dlms'));");
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
