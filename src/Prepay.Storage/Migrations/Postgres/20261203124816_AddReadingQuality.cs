using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Prepay.Storage.Migrations.Postgres
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
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "valid");

            migrationBuilder.AddColumn<string>(
                name: "quality_rule",
                table: "readings",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "reading_adjustments",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    meter_id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<long>(type: "bigint", nullable: false),
                    previous_wh = table.Column<long>(type: "bigint", nullable: false),
                    new_wh = table.Column<long>(type: "bigint", nullable: false),
                    cause = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    recorded_at = table.Column<long>(type: "bigint", nullable: false)
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

            migrationBuilder.AddCheckConstraint(
                name: "ck_readings_quality",
                table: "readings",
                sql: "quality IN ('valid', 'estimated', 'edited', 'suspect')");

            migrationBuilder.CreateIndex(
                name: "ix_reading_adjustments_meter_id_at",
                table: "reading_adjustments",
                columns: new[] { "meter_id", "at" });

            // Adjustments are what central credit posts: like the ledger, they stay as they were written.
            migrationBuilder.Sql("CREATE TRIGGER reading_adjustments_insert_only BEFORE UPDATE OR DELETE ON reading_adjustments FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS reading_adjustments_insert_only ON reading_adjustments;");

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
