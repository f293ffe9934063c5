using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RevenueFindings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "revenue_findings",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    site_code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    meter_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    meter_number = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    subject = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    period_start = table.Column<long>(type: "INTEGER", nullable: false),
                    period_end = table.Column<long>(type: "INTEGER", nullable: false),
                    confidence = table.Column<int>(type: "INTEGER", nullable: false),
                    summary = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    evidence = table.Column<string>(type: "TEXT", maxLength: 65536, nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    state_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    state_reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    state_at = table.Column<long>(type: "INTEGER", nullable: true),
                    found_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_revenue_findings", x => x.id);
                    table.CheckConstraint("ck_revenue_findings_confidence", "confidence BETWEEN 0 AND 100");
                    table.CheckConstraint("ck_revenue_findings_moved", "(state = 'open' AND state_by IS NULL) OR (state_by IS NOT NULL AND state_reason IS NOT NULL AND state_at IS NOT NULL)");
                    table.CheckConstraint("ck_revenue_findings_state", "state IN ('open', 'investigating', 'confirmed', 'dismissed')");
                    table.ForeignKey(
                        name: "fk_revenue_findings_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_revenue_findings_meter_id",
                table: "revenue_findings",
                column: "meter_id");

            migrationBuilder.CreateIndex(
                name: "ix_revenue_findings_site_code_found_at",
                table: "revenue_findings",
                columns: new[] { "site_code", "found_at" });

            migrationBuilder.CreateIndex(
                name: "ix_revenue_findings_state_found_at",
                table: "revenue_findings",
                columns: new[] { "state", "found_at" });

            migrationBuilder.CreateIndex(
                name: "ux_revenue_findings_active",
                table: "revenue_findings",
                columns: new[] { "kind", "site_code", "meter_number", "subject" },
                unique: true,
                filter: "state IN ('open', 'investigating')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "revenue_findings");
        }
    }
}
