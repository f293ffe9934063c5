using System.Text.Json;
using System.Text.Json.Serialization;

namespace Prepay.Meter.Json;

/// <summary>
/// The JSON settings for everything the meter takes and emits (outputs, commands, snapshots): NodaTime values as
/// ISO text and enums as names, with no dependency beyond NodaTime.
/// </summary>
public static class MeterJson
{
    /// <summary>Shared, read-only options.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new InstantJsonConverter());
        options.Converters.Add(new LocalTimeJsonConverter());
        options.Converters.Add(new LocalDateJsonConverter());
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
