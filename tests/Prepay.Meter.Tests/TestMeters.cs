using NodaTime;
using Prepay.Meter.Credit;
using Prepay.Meter.Events;
using Prepay.Meter.Load;
using Prepay.Sts;
using Prepay.Sts.Algorithms;
using Prepay.Sts.Keys;
using Prepay.Sts.Meter;
using Prepay.Sts.Tokens;

namespace Prepay.Meter.Tests;

/// <summary>Meters for tests: Johannesburg (UTC+2, no DST), a fixed decoder key, and a constant load when asked.</summary>
internal static class TestMeters
{
    public static readonly DecoderKey Key = DecoderKey.ParseHex("e653341f9d5bf36f");

    public static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["Africa/Johannesburg"];

    /// <summary>Monday 2 March 2026, 18:00 local.</summary>
    public static readonly Instant MondayEvening = new LocalDateTime(2026, 3, 2, 18, 0).InZoneStrictly(Zone).ToInstant();

    public static MeterConfiguration Configuration(long creditWh, CreditPolicy? policy = null, LoadShape shape = LoadShape.Residential, long seed = 42, int scalePercent = 100, Instant? start = null) => new()
    {
        MeterId = "04000000001",
        Seed = seed,
        Start = start ?? MondayEvening,
        Sts = new MeterState { DecoderKey = Key, Algorithm = EncryptionAlgorithm.Sta, BaseDate = BaseDate.Y1993, SupplyGroupCode = 123456, TariffIndex = 1 },
        Shape = shape,
        LoadScalePercent = scalePercent,
        InitialCreditWh = creditWh,
        Policy = policy ?? new CreditPolicy { LowCreditWh = 0 },
    };

    /// <summary>A meter whose whole demand is a constant <paramref name="watts"/> (the profile scaled to zero).</summary>
    public static PrepaidMeter Constant(int watts, long creditWh, CreditPolicy? policy = null)
    {
        var meter = new PrepaidMeter(Configuration(creditWh, policy, scalePercent: 0));
        meter.SetExtraLoad(watts);
        return meter;
    }

    public static Instant Local(int day, int hour, int minute = 0) =>
        new LocalDateTime(2026, 3, day, hour, minute).InZoneStrictly(Zone).ToInstant();

    public static string CreditToken(uint tid, long units) =>
        StsTokenIssuer.IssueCreditToken(Key, EncryptionAlgorithm.Sta, BaseDate.Y1993, 0, tid, units, 7);

    public static string ManagementToken(ManagementSubclass subclass, uint tid, ushort value) =>
        StsTokenIssuer.IssueManagementToken(Key, EncryptionAlgorithm.Sta, BaseDate.Y1993, subclass, tid, value, 7);

    public static T Single<T>(IEnumerable<MeterOutput> outputs) where T : MeterOutput => Assert.Single(outputs.OfType<T>());
}
