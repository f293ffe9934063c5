using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TenancyStartAndWebhookSecretRotation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "previous_secret",
                table: "webhook_subscriptions",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "previous_secret_until",
                table: "webhook_subscriptions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "customer_since",
                table: "premises",
                type: "INTEGER",
                nullable: true);

            // When today's tenants moved in was never recorded: the latest of the premises' and the customer's
            // creation is the earliest it can have been, and keeps every current tenant's history visible.
            migrationBuilder.Sql("""
                UPDATE premises SET customer_since = (SELECT MAX(premises.created_at, c.created_at) FROM customers c WHERE c.id = premises.customer_id)
                WHERE customer_id IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "previous_secret",
                table: "webhook_subscriptions");

            migrationBuilder.DropColumn(
                name: "previous_secret_until",
                table: "webhook_subscriptions");

            migrationBuilder.DropColumn(
                name: "customer_since",
                table: "premises");
        }
    }
}
