using Prepay.Meter.Devices;
using Prepay.Meter.Display;
using Prepay.Meter.Events;

namespace Prepay.Meter.Tests.Devices;

public sealed class VirtualMeterRegistryTests
{
    private sealed class OnTheBench(PrepaidMeter meter) : IVirtualMeter
    {
        public string MeterNumber => meter.MeterId;

        public bool HasKeypad => true;

        public Task<MeterDisplay> ReadDisplayAsync(CancellationToken ct = default) => Task.FromResult(meter.Display);

        public Task<IReadOnlyList<MeterOutput>> EnterTokenAsync(string digits, CancellationToken ct = default) => Task.FromResult(meter.EnterToken(digits));
    }

    private static OnTheBench Meter(long creditWh) => new(new PrepaidMeter(TestMeters.Configuration(creditWh)));

    [Fact]
    public async Task A_registered_meter_is_found_by_its_number_and_shows_its_own_screen()
    {
        var registry = new VirtualMeterRegistry();
        using var _ = registry.Register(Meter(5_000));

        var found = registry.Find(" 04000000001 ");
        Assert.NotNull(found);
        Assert.Equal(5m, (await found.ReadDisplayAsync(TestContext.Current.CancellationToken)).CreditKwh);
        Assert.Equal(["04000000001"], registry.Numbers());
    }

    [Fact]
    public void An_unknown_or_missing_number_finds_nothing()
    {
        var registry = new VirtualMeterRegistry();
        using var _ = registry.Register(Meter(0));
        Assert.Null(registry.Find("04000000002"));
        Assert.Null(registry.Find(null));
    }

    [Fact]
    public void Disposing_a_registration_removes_its_meter_but_not_a_later_one_of_the_same_number()
    {
        var registry = new VirtualMeterRegistry();
        var first = registry.Register(Meter(1_000));
        first.Dispose();
        Assert.Null(registry.Find("04000000001"));

        var again = registry.Register(Meter(1_000));
        var replacement = Meter(2_000);
        using var current = registry.Register(replacement);
        again.Dispose();
        Assert.Same(replacement, registry.Find("04000000001"));
        Assert.Equal(1, registry.Count);
    }
}
