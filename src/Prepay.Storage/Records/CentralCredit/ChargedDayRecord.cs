using NodaTime;

namespace Prepay.Storage.Records.CentralCredit;

/// <summary>A local day (tariff's zone) whose fixed charges a central-credit meter has paid: the key makes it once.</summary>
public sealed class ChargedDayRecord
{
    public Guid MeterId { get; init; }
    public LocalDate Day { get; init; }
}
