namespace Prepay.Storage.Records.Metering;

/// <summary>
/// The <see cref="MeterCommandRecord.Reference"/> of the credit command a vend queues (<c>vend {id:N}</c>): written by
/// Vending as it queues the command, read back by whoever ties a command to its sale (reversals, reconciliation,
/// findings). Here, not in Vending, because those readers reference storage but not Vending; one format, one parser.
/// </summary>
public static class CreditCommandReference
{
    private const string Prefix = "vend ";

    public static string For(Guid vendId) => $"{Prefix}{vendId:N}";

    /// <summary>The vend a command's reference names, or null when it was queued for something else.</summary>
    public static Guid? VendOf(string? reference) =>
        reference is { Length: > 5 } r && r.StartsWith(Prefix, StringComparison.Ordinal) && Guid.TryParseExact(r[Prefix.Length..], "N", out var id) ? id : null;
}
