namespace Prepay.MeterLink.Mqtt;

/// <summary>
/// The MQTT topic scheme, version 1 (docs/mqtt.md). Everything a meter sends is under
/// <c>prepay/v1/meters/{meterNumber}/…</c>; the broker lets a meter publish only under its own number.
/// </summary>
public static class Topics
{
    public const string Prefix = "prepay/v1/meters";

    public const string Readings = "readings";
    public const string Events = "events";
    public const string Acks = "acks";
    public const string Status = "status";
    public const string Commands = "commands";

    /// <summary>What a meter sends: readings, events, command acknowledgements and its status.</summary>
    public static readonly IReadOnlyList<string> Up = [Readings, Events, Acks, Status];

    public static string For(string meterNumber, string kind) => $"{Prefix}/{meterNumber}/{kind}";

    /// <summary>Every topic of every meter, both directions.</summary>
    public static string AllUp => $"{Prefix}/+/+";

    /// <summary>
    /// The head-end's subscriptions: one per kind a meter sends, so that the commands it publishes itself (under the
    /// same prefix) do not come back to it.
    /// </summary>
    public static IReadOnlyList<string> UpFilters { get; } = [.. Up.Select(kind => $"{Prefix}/+/{kind}")];

    /// <summary>Splits <c>prepay/v1/meters/{n}/{kind}</c>; false for anything else.</summary>
    public static bool TryParse(string topic, out string meterNumber, out string kind)
    {
        meterNumber = kind = "";
        if (!topic.StartsWith(Prefix + "/", StringComparison.Ordinal))
        {
            return false;
        }
        var rest = topic.AsSpan(Prefix.Length + 1);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || rest[(slash + 1)..].Contains('/'))
        {
            return false;
        }
        meterNumber = rest[..slash].ToString();
        kind = rest[(slash + 1)..].ToString();
        return kind.Length > 0;
    }
}
