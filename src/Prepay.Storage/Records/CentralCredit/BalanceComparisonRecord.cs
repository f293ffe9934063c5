using NodaTime;

namespace Prepay.Storage.Records.CentralCredit;

/// <summary>
/// The meter's and the server's view of a meter's balance compared for one local day (issue 14, item 1), once per
/// meter and day: the key is (meter, day), so a second run of the day writes nothing. <see cref="Unit"/> says what the
/// views count: <c>minor</c> (a central meter's money balance, in <see cref="Currency"/>) or <c>Wh</c> (the credit
/// register of a meter holding its own credit). <see cref="Difference"/> is meter − server; <see cref="Reported"/>
/// says whether it was beyond the tolerance and told to operators. <see cref="MeterViewAt"/> is when the meter's view
/// was true (the reading a register was taken from: the next day's expectation starts there).
/// </summary>
public sealed class BalanceComparisonRecord
{
    public const string CentralModel = "central", MeterModel = "meter";
    public const string Minor = "minor", Wh = "Wh";

    public Guid MeterId { get; init; }
    public LocalDate Day { get; init; }
    public required string MeterNumber { get; init; }
    public required string Model { get; init; }
    public required string Unit { get; init; }
    public string? Currency { get; init; }
    public long? MeterView { get; init; }
    public Instant? MeterViewAt { get; init; }
    public long? ServerView { get; init; }
    public long Difference { get; init; }
    public bool Reported { get; init; }
    public required string Explanation { get; init; }
    public Instant ComparedAt { get; init; }
}
