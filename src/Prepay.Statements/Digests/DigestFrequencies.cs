using Prepay.Storage.Records.Statements;

namespace Prepay.Statements.Digests;

/// <summary>A digest's frequency as the portal and the API write it: <c>daily</c>, <c>weekly</c> or <c>none</c>.</summary>
public static class DigestFrequencies
{
    public static string Name(DigestFrequency? frequency) => frequency?.ToString().ToLowerInvariant() ?? "none";

    public static bool TryParse(string? text, out DigestFrequency? frequency)
    {
        frequency = text switch
        {
            "daily" => DigestFrequency.Daily,
            "weekly" => DigestFrequency.Weekly,
            _ => null,
        };
        return frequency is not null || text == "none";
    }
}
