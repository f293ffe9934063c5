namespace Prepay.Domain.Metering;

/// <summary>A meter's transport by name, as the API, the console and the database write it.</summary>
public static class MeterTransports
{
    public static readonly IReadOnlyList<MeterTransport> All = [MeterTransport.Mqtt, MeterTransport.Dlms];

    public static string Name(MeterTransport transport) => transport switch
    {
        MeterTransport.Mqtt => "mqtt",
        MeterTransport.Dlms => "dlms",
        _ => throw new ArgumentOutOfRangeException(nameof(transport), transport, "no such transport"),
    };

    public static bool TryParse(string? name, out MeterTransport transport)
    {
        transport = name switch
        {
            "mqtt" => MeterTransport.Mqtt,
            "dlms" => MeterTransport.Dlms,
            _ => (MeterTransport)(-1),
        };
        return Enum.IsDefined(transport);
    }

    public static MeterTransport Parse(string name) =>
        TryParse(name, out var t) ? t : throw new FormatException($"'{name}' is not a meter transport (mqtt or dlms).");
}
