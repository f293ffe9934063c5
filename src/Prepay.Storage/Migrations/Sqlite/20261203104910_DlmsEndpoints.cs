using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DlmsEndpoints : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "meter_dlms_endpoints",
                columns: table => new
                {
                    meter_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    host = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    port = table.Column<int>(type: "INTEGER", nullable: false),
                    client_address = table.Column<int>(type: "INTEGER", nullable: false),
                    server_address = table.Column<int>(type: "INTEGER", nullable: false),
                    authentication = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    system_title = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_meter_dlms_endpoints", x => x.meter_id);
                    table.CheckConstraint("ck_meter_dlms_endpoints_addresses", "client_address BETWEEN 0 AND 65535 AND server_address BETWEEN 0 AND 65535");
                    table.CheckConstraint("ck_meter_dlms_endpoints_authentication", "authentication IN ('none', 'low', 'high-gmac')");
                    table.CheckConstraint("ck_meter_dlms_endpoints_port", "port BETWEEN 1 AND 65535");
                    table.ForeignKey(
                        name: "fk_meter_dlms_endpoints_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "meter_dlms_endpoints");
        }
    }
}
