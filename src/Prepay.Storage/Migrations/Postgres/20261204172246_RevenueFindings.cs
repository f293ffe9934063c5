using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Prepay.Storage.Migrations.Postgres
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
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    site_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    meter_id = table.Column<Guid>(type: "uuid", nullable: true),
                    meter_number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    subject = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    period_start = table.Column<long>(type: "bigint", nullable: false),
                    period_end = table.Column<long>(type: "bigint", nullable: false),
                    confidence = table.Column<int>(type: "integer", nullable: false),
                    summary = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    evidence = table.Column<string>(type: "character varying(65536)", maxLength: 65536, nullable: false),
                    state = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    state_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    state_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    state_at = table.Column<long>(type: "bigint", nullable: true),
                    found_at = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<long>(type: "bigint", nullable: false)
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
