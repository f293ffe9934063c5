using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Payments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "payment_sessions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    provider = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    origin = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    idempotency_key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    request_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    access_key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    meter_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    meter_number = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    customer_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    payer_customer_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    amount_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: false),
                    provider_payment_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    payment_method = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    decided_at = table.Column<long>(type: "INTEGER", nullable: true),
                    vend_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    failure = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payment_sessions", x => x.id);
                    table.CheckConstraint("ck_payment_sessions_amount", "amount_minor > 0");
                    table.ForeignKey(
                        name: "fk_payment_sessions_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_payment_sessions_vends_vend_id",
                        column: x => x.vend_id,
                        principalTable: "vends",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "payment_callbacks",
                columns: table => new
                {
                    provider = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    callback_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    session_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    provider_payment_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    result = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    signed_at = table.Column<long>(type: "INTEGER", nullable: false),
                    received_at = table.Column<long>(type: "INTEGER", nullable: false),
                    body_sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    effect = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payment_callbacks", x => new { x.provider, x.callback_id });
                    table.ForeignKey(
                        name: "fk_payment_callbacks_payment_sessions_session_id",
                        column: x => x.session_id,
                        principalTable: "payment_sessions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_payment_callbacks_session_id",
                table: "payment_callbacks",
                column: "session_id");

            migrationBuilder.CreateIndex(
                name: "ix_payment_sessions_idempotency_key",
                table: "payment_sessions",
                column: "idempotency_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_payment_sessions_meter_id",
                table: "payment_sessions",
                column: "meter_id");

            migrationBuilder.CreateIndex(
                name: "ix_payment_sessions_payer_customer_id_created_at",
                table: "payment_sessions",
                columns: new[] { "payer_customer_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_payment_sessions_vend_id",
                table: "payment_sessions",
                column: "vend_id");

            migrationBuilder.CreateIndex(
                name: "ux_payment_sessions_payment",
                table: "payment_sessions",
                columns: new[] { "provider", "provider_payment_id" },
                unique: true,
                filter: "provider_payment_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "payment_callbacks");

            migrationBuilder.DropTable(
                name: "payment_sessions");
        }
    }
}
