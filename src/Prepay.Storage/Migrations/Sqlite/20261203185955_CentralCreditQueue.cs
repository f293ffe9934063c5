using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CentralCreditQueue : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "central_credit_pending",
                columns: table => new
                {
                    meter_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_central_credit_pending", x => new { x.meter_id, x.at });
                });

            // Every reading a writer stores or changes for a meter while its credit is held centrally is queued by
            // the writer's own statement, so the queue and the readings commit together (an upsert's update fires
            // the update trigger).
            foreach (var (name, timing) in new[] { ("readings_inserted_central_credit", "AFTER INSERT"), ("readings_updated_central_credit", "AFTER UPDATE") })
            {
                migrationBuilder.Sql($"""
                    CREATE TRIGGER {name} {timing} ON readings
                    WHEN EXISTS (SELECT 1 FROM central_credit_states s WHERE s.meter_id = NEW.meter_id
                                 AND NEW.at > s.priced_from AND (s.priced_until IS NULL OR NEW.at <= s.priced_until))
                    BEGIN
                        INSERT OR IGNORE INTO central_credit_pending (meter_id, at) VALUES (NEW.meter_id, NEW.at);
                    END;
                    """);
            }
            // Readings already stored and not yet priced join the queue once.
            migrationBuilder.Sql("""
                INSERT INTO central_credit_pending (meter_id, at)
                SELECT r.meter_id, r.at FROM readings r JOIN central_credit_states s ON s.meter_id = r.meter_id
                WHERE r.at > s.priced_from AND (s.priced_until IS NULL OR r.at <= s.priced_until)
                  AND NOT EXISTS (SELECT 1 FROM central_credit_intervals p WHERE p.meter_id = r.meter_id AND p.at = r.at)
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER readings_inserted_central_credit;");
            migrationBuilder.Sql("DROP TRIGGER readings_updated_central_credit;");
            migrationBuilder.DropTable(
                name: "central_credit_pending");
        }
    }
}
