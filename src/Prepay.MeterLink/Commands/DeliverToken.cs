namespace Prepay.MeterLink.Commands;

/// <summary>
/// Enters 20-digit STS tokens, in order, through the meter's own keypad decoder (key change tokens first, then credit),
/// so each is applied once whichever way it arrives first.
/// </summary>
public sealed record DeliverToken(IReadOnlyList<string> Tokens) : MeterCommand
{
    public bool Equals(DeliverToken? other) => other is not null && Tokens.SequenceEqual(other.Tokens, StringComparer.Ordinal);

    public override int GetHashCode() => Tokens.Aggregate(17, (h, t) => HashCode.Combine(h, StringComparer.Ordinal.GetHashCode(t)));
}
