using NodaTime;
using NodaTime.Text;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.Tariffs.Blocks;
using Prepay.Tariffs.Rates;
using Prepay.Tariffs.TimeOfUse;
using Prepay.Domain.Documents;

namespace Prepay.Tariffs.Documents;

/// <summary>Reads the <c>energy</c> object: one of flat, inclining block, time of use.</summary>
internal static class EnergyChargeReader
{
    internal static readonly AnnualDatePattern Day = AnnualDatePattern.CreateWithInvariantCulture("MM'-'dd");
    internal static readonly LocalTimePattern TimeOfDay = LocalTimePattern.CreateWithInvariantCulture("HH':'mm");

    public static EnergyCharge Read(JsonObjectReader e, Currency currency)
    {
        EnergyCharge charge = e.String("type") switch
        {
            "flat" => new FlatRateCharge(Positive(e, "rate", currency)),
            "incliningBlock" => Blocks(e, currency),
            "timeOfUse" => TimeOfUseReader.Read(e, currency),
            var other => throw e.Error("type", $"'{other}' must be \"flat\", \"incliningBlock\" or \"timeOfUse\""),
        };
        e.RefuseUnknown();
        return charge;
    }

    private static IncliningBlockCharge Blocks(JsonObjectReader e, Currency currency)
    {
        var items = e.Objects("blocks", required: true);
        if (items.Count == 0)
        {
            throw e.Error("blocks", "must list at least one block");
        }
        var blocks = new List<EnergyBlock>();
        long previous = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var b = items[i];
            var last = i == items.Count - 1;
            var upto = b.OptionalInteger("uptoKwh");
            if (last && upto is not null)
            {
                throw b.Error("uptoKwh", "must be left out on the last block, which has no upper limit");
            }
            if (!last && upto is null)
            {
                throw b.Error("uptoKwh", "is required on every block but the last");
            }
            if (upto is { } u && u <= previous)
            {
                throw b.Error("uptoKwh", i == 0 ? "must be greater than 0" : "must be greater than the previous block");
            }
            // A free block is allowed, but the open-ended last block must cost something.
            var rate = last ? Positive(b, "rate", currency) : TariffReader.Rate(b, "rate", currency);
            b.RefuseUnknown();
            blocks.Add(new EnergyBlock(upto is { } kwh ? Energy.FromKilowattHours(kwh) : null, rate));
            previous = upto ?? previous;
        }
        return new IncliningBlockCharge(blocks);
    }

    internal static EnergyRate Positive(JsonObjectReader f, string name, Currency currency)
    {
        var rate = TariffReader.Rate(f, name, currency);
        return rate.ScaledMinorPerKwh == 0 ? throw f.Error(name, "must be greater than 0") : rate;
    }
}
