using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class KeyChangeCampaigns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "key_change_campaign_id",
                table: "meters",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "key_change_not_before",
                table: "meters",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "key_change_to_supply_group_code",
                table: "meters",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "key_change_to_tariff_index",
                table: "meters",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "key_revision",
                table: "meter_status",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "key_change_campaigns",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    scope = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    to_key_revision_number = table.Column<int>(type: "integer", nullable: false),
                    to_supply_group_code = table.Column<int>(type: "integer", nullable: true),
                    to_tariff_index = table.Column<int>(type: "integer", nullable: true),
                    to_base_date = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    starts_at = table.Column<long>(type: "bigint", nullable: false),
                    state = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    created_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_key_change_campaigns", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "key_change_campaign_meters",
                columns: table => new
                {
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    meter_id = table.Column<Guid>(type: "uuid", nullable: false),
                    meter_number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    site_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    from_supply_group_code = table.Column<int>(type: "integer", nullable: false),
                    from_key_revision_number = table.Column<int>(type: "integer", nullable: false),
                    is_smart = table.Column<bool>(type: "boolean", nullable: false),
                    issued_at = table.Column<long>(type: "bigint", nullable: true),
                    tokens = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    command_id = table.Column<Guid>(type: "uuid", nullable: true),
                    deliveries = table.Column<int>(type: "integer", nullable: false),
                    confirmed_at = table.Column<long>(type: "bigint", nullable: true),
                    confirmed_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    confirm_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_key_change_campaign_meters", x => new { x.campaign_id, x.meter_id });
                    table.ForeignKey(
                        name: "fk_key_change_campaign_meters_key_change_campaigns_campaign_id",
                        column: x => x.campaign_id,
                        principalTable: "key_change_campaigns",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_key_change_campaign_meters_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_key_change_campaign_meters_meter_id",
                table: "key_change_campaign_meters",
                column: "meter_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "key_change_campaign_meters");

            migrationBuilder.DropTable(
                name: "key_change_campaigns");

            migrationBuilder.DropColumn(
                name: "key_change_campaign_id",
                table: "meters");

            migrationBuilder.DropColumn(
                name: "key_change_not_before",
                table: "meters");

            migrationBuilder.DropColumn(
                name: "key_change_to_supply_group_code",
                table: "meters");

            migrationBuilder.DropColumn(
                name: "key_change_to_tariff_index",
                table: "meters");

            migrationBuilder.DropColumn(
                name: "key_revision",
                table: "meter_status");
        }
    }
}
