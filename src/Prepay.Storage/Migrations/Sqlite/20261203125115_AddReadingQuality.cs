using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddReadingQuality : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "quality",
                table: "readings",
                type: "TEXT",
                maxLength: 10,
                nullable: false,
                defaultValue: "valid");

            migrationBuilder.AddColumn<string>(
                name: "quality_rule",
                table: "readings",
                type: "TEXT",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "reading_adjustments",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    meter_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    previous_wh = table.Column<long>(type: "INTEGER", nullable: false),
                    new_wh = table.Column<long>(type: "INTEGER", nullable: false),
                    cause = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    recorded_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reading_adjustments", x => x.id);
                    table.CheckConstraint("ck_reading_adjustments_cause", "cause IN ('replaced', 'edited')");
                    table.ForeignKey(
                        name: "fk_reading_adjustments_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            // Adjustments are what central credit posts: like the ledger, they stay as they were written.
            migrationBuilder.Sql("CREATE TRIGGER reading_adjustments_no_update BEFORE UPDATE ON reading_adjustments BEGIN SELECT RAISE(ABORT, 'reading_adjustments is insert-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER reading_adjustments_no_delete BEFORE DELETE ON reading_adjustments BEGIN SELECT RAISE(ABORT, 'reading_adjustments is insert-only'); END;");

            migrationBuilder.AddCheckConstraint(
                name: "ck_readings_quality",
                table: "readings",
                sql: "quality IN ('valid', 'estimated', 'edited', 'suspect')");

            migrationBuilder.CreateIndex(
                name: "ix_reading_adjustments_meter_id_at",
                table: "reading_adjustments",
                columns: new[] { "meter_id", "at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS reading_adjustments_no_update;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS reading_adjustments_no_delete;");

            migrationBuilder.DropTable(
                name: "reading_adjustments");

            migrationBuilder.DropCheckConstraint(
                name: "ck_readings_quality",
                table: "readings");

            migrationBuilder.DropColumn(
                name: "quality",
                table: "readings");

            migrationBuilder.DropColumn(
                name: "quality_rule",
                table: "readings");
        }
    }
}
