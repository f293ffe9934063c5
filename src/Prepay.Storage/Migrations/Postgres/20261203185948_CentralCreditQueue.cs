using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Postgres
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
                    meter_id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_central_credit_pending", x => new { x.meter_id, x.at });
                });

            // Every reading a writer stores or changes for a meter while its credit is held centrally is queued in the
            // writer's own statement (one set-based insert per statement, from the transition table), so the queue
            // and the readings commit together. Transition tables allow one event per trigger, hence two.
            migrationBuilder.Sql("""
                CREATE FUNCTION central_credit_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO central_credit_pending (meter_id, at)
                    SELECT n.meter_id, n.at FROM new_rows n JOIN central_credit_states s ON s.meter_id = n.meter_id
                    WHERE n.at > s.priced_from AND (s.priced_until IS NULL OR n.at <= s.priced_until)
                    ON CONFLICT DO NOTHING;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER readings_inserted_central_credit AFTER INSERT ON readings
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION central_credit_enqueue();
                CREATE TRIGGER readings_updated_central_credit AFTER UPDATE ON readings
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION central_credit_enqueue();
                """);
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
            migrationBuilder.Sql("""
                DROP TRIGGER readings_inserted_central_credit ON readings;
                DROP TRIGGER readings_updated_central_credit ON readings;
                DROP FUNCTION central_credit_enqueue();
                """);
            migrationBuilder.DropTable(
                name: "central_credit_pending");
        }
    }
}
