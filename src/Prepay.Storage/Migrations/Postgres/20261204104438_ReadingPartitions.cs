using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Prepay.Storage.Migrations.Postgres
{
    /// <summary>
    /// Readings in monthly range partitions on <c>at</c> (Unix ticks), so that a month past the retention
    /// (<c>Storage:ReadingRetentionMonths</c>) goes by dropping its partition instead of deleting its rows one by one,
    /// and a month's queries touch that month. Nothing is copied: the readings stored so far become one partition,
    /// <c>readings_history</c>, of everything before next month; the monthly partitions ahead and a default one for a
    /// reading outside them are made by <c>Prepay.Storage.Readings.ReadingPartitions</c> (here and by its daily job).
    /// The central-credit triggers move to the partitioned parent: statement triggers with transition tables fire
    /// there for rows of every partition. PostgreSQL only: SQLite deletes old readings instead.
    /// </summary>
    public partial class ReadingPartitions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE readings RENAME TO readings_history;
                -- The key's index name is the schema's; CHECK and foreign key names are the table's and must match the parent's to attach.
                ALTER TABLE readings_history RENAME CONSTRAINT pk_readings TO pk_readings_history;
                DROP TRIGGER readings_inserted_central_credit ON readings_history;
                DROP TRIGGER readings_updated_central_credit ON readings_history;

                CREATE TABLE readings (LIKE readings_history INCLUDING DEFAULTS) PARTITION BY RANGE (at);
                ALTER TABLE readings ADD CONSTRAINT pk_readings PRIMARY KEY (meter_id, at);
                ALTER TABLE readings ADD CONSTRAINT ck_readings_quality CHECK (quality IN ('valid', 'estimated', 'edited', 'suspect'));
                ALTER TABLE readings ADD CONSTRAINT fk_readings_meters_meter_id FOREIGN KEY (meter_id) REFERENCES meters (id) ON DELETE RESTRICT;

                DO $$
                DECLARE next_month bigint := (extract(epoch FROM date_trunc('month', now() AT TIME ZONE 'UTC') + interval '1 month') * 10000000)::bigint;
                BEGIN
                    EXECUTE format('ALTER TABLE readings ATTACH PARTITION readings_history FOR VALUES FROM (MINVALUE) TO (%s)', next_month);
                END $$;
                CREATE TABLE readings_default PARTITION OF readings DEFAULT;

                CREATE TRIGGER readings_inserted_central_credit AFTER INSERT ON readings
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION central_credit_enqueue();
                CREATE TRIGGER readings_updated_central_credit AFTER UPDATE ON readings
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION central_credit_enqueue();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE readings_flat (LIKE readings INCLUDING DEFAULTS);
                INSERT INTO readings_flat SELECT * FROM readings;
                DROP TABLE readings;
                ALTER TABLE readings_flat RENAME TO readings;
                ALTER TABLE readings ADD CONSTRAINT pk_readings PRIMARY KEY (meter_id, at);
                ALTER TABLE readings ADD CONSTRAINT ck_readings_quality CHECK (quality IN ('valid', 'estimated', 'edited', 'suspect'));
                ALTER TABLE readings ADD CONSTRAINT fk_readings_meters_meter_id FOREIGN KEY (meter_id) REFERENCES meters (id) ON DELETE RESTRICT;
                CREATE TRIGGER readings_inserted_central_credit AFTER INSERT ON readings
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION central_credit_enqueue();
                CREATE TRIGGER readings_updated_central_credit AFTER UPDATE ON readings
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION central_credit_enqueue();
                """);
        }
    }
}
