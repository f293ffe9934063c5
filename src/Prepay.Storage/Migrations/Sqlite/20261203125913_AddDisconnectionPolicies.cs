using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddDisconnectionPolicies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "disconnection_policies",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    effective_from = table.Column<long>(type: "INTEGER", nullable: false),
                    document = table.Column<string>(type: "TEXT", maxLength: 65536, nullable: false),
                    published_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    published_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_disconnection_policies", x => x.id);
                    table.CheckConstraint("ck_disconnection_policies_version", "version >= 1");
                });

            migrationBuilder.CreateTable(
                name: "disconnection_policy_assignments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    site_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    customer_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    policy_code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    effective_from = table.Column<long>(type: "INTEGER", nullable: false),
                    assigned_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    assigned_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_disconnection_policy_assignments", x => x.id);
                    table.CheckConstraint("ck_disconnection_policy_assignments_one_target", "(site_id IS NULL) <> (customer_id IS NULL)");
                    table.ForeignKey(
                        name: "fk_disconnection_policy_assignments_customers_customer_id",
                        column: x => x.customer_id,
                        principalTable: "customers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_disconnection_policy_assignments_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_disconnection_policies_code_version",
                table: "disconnection_policies",
                columns: new[] { "code", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_disconnection_policy_assignments_customer_id_effective_from",
                table: "disconnection_policy_assignments",
                columns: new[] { "customer_id", "effective_from" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_disconnection_policy_assignments_site_id_effective_from",
                table: "disconnection_policy_assignments",
                columns: new[] { "site_id", "effective_from" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "disconnection_policies");

            migrationBuilder.DropTable(
                name: "disconnection_policy_assignments");
        }
    }
}
