using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MoneyApprovals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "actor_id",
                table: "audit",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "money_approvals",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    target = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    payload = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    amount_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    requested_by = table.Column<Guid>(type: "TEXT", nullable: false),
                    requested_by_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    requested_at = table.Column<long>(type: "INTEGER", nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    decided_by = table.Column<Guid>(type: "TEXT", nullable: true),
                    decided_by_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    decided_at = table.Column<long>(type: "INTEGER", nullable: true),
                    result = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_money_approvals", x => x.id);
                    table.CheckConstraint("ck_money_approvals_amount", "amount_minor >= 0");
                    table.CheckConstraint("ck_money_approvals_two_people", "decided_by IS NULL OR decided_by <> requested_by");
                });

            migrationBuilder.CreateIndex(
                name: "ix_money_approvals_kind_state_decided_at",
                table: "money_approvals",
                columns: new[] { "kind", "state", "decided_at" });

            migrationBuilder.CreateIndex(
                name: "ix_money_approvals_state_requested_at",
                table: "money_approvals",
                columns: new[] { "state", "requested_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "money_approvals");

            migrationBuilder.DropColumn(
                name: "actor_id",
                table: "audit");
        }
    }
}
