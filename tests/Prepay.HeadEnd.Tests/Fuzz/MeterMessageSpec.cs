using System.Text.Json;
using NodaTime;
using Prepay.MeterLink.Mqtt;

namespace Prepay.HeadEnd.Tests.Fuzz;

/// <summary>
/// docs/mqtt.md's payload rules written a second time, independently of the head-end's parser, to judge fuzzed
/// payloads: <see cref="MayWrite"/> is false when the document says the head-end stores nothing of the message
/// (refused whole, or every item refused). Member names match without regard to case, as the head-end's web
/// defaults do; a member given twice (in any case) is refused.
/// </summary>
public static class MeterMessageSpec
{
    private const int MaxPayloadBytes = 64 * 1024;
    private const int MaxItems = 1000;

    public static bool MayWrite(string kind, byte[] payload, Instant now)
    {
        if (payload.Length > MaxPayloadBytes)
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 64 });
            var root = document.RootElement;
            var latest = now + Duration.FromDays(1);
            return kind switch
            {
                Topics.Readings => Members(root, ["readings"], ["readings"]) is { } m && Items(m["readings"]) is { } items && items.Select(r => Reading(r, latest)).ToList().Contains(true),
                Topics.Events => Members(root, ["events"], ["events"]) is { } m && Items(m["events"]) is { } items && items.Select(e => Event(e, latest)).ToList().Contains(true),
                Topics.Acks => Ack(root),
                Topics.Status => Status(root),
                _ => false,
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            // Not JSON, or text that is not a string (a lone surrogate): refused whole, as malformed.
            return false;
        }
    }

    /// <summary>The object's members by lower-case name; null when it is not an object, a member is unknown or twice there, or a required one is missing.</summary>
    private static Dictionary<string, JsonElement>? Members(JsonElement e, string[] known, string[] required)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            var name = p.Name.ToLowerInvariant();
            if (!known.Contains(name, StringComparer.Ordinal) || !members.TryAdd(name, p.Value))
            {
                return null;
            }
        }
        return required.All(members.ContainsKey) ? members : null;
    }

    /// <summary>A required array (at most <see cref="MaxItems"/>), or null: then the whole message is refused. A null item refuses it whole too.</summary>
    private static List<JsonElement>? Items(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array && e.GetArrayLength() <= MaxItems && e.EnumerateArray().All(i => i.ValueKind == JsonValueKind.Object)
            ? [.. e.EnumerateArray()]
            : null;

    private static readonly string[] ReadingMembers = ["at", "energywh", "deltawh", "creditwh", "voltagedv", "currentma", "powerw"];

    private static bool Reading(JsonElement e, Instant latest)
    {
        var m = Members(e, ReadingMembers, ReadingMembers) ?? throw new JsonException("reading out of schema");
        var at = Instant(m["at"]) ?? throw new JsonException("at");
        var longs = new[] { "energywh", "deltawh", "creditwh" }.Select(n => Long(m[n]) ?? throw new JsonException(n)).ToArray();
        var ints = new[] { "voltagedv", "currentma", "powerw" }.Select(n => Int(m[n]) ?? throw new JsonException(n)).ToArray();
        return at <= latest && longs[0] >= 0 && longs[1] >= 0 && ints.All(i => i >= 0);
    }

    private static bool Event(JsonElement e, Instant latest)
    {
        var m = Members(e, ["at", "type", "details"], ["at", "type"]) ?? throw new JsonException("event out of schema");
        var at = Instant(m["at"]) ?? throw new JsonException("at");
        var type = NullableString(m["type"]);
        var details = m.TryGetValue("details", out var d) ? NullableString(d) : null;
        return at <= latest && !string.IsNullOrWhiteSpace(type) && type.Length <= 40 && Storable(type) && details is not { Length: > 2000 } && (details is null || Storable(details));
    }

    private static bool Ack(JsonElement root)
    {
        var m = Members(root, ["commandid", "result", "reason", "at"], ["commandid", "result", "at"]);
        return m is not null && m["commandid"].ValueKind == JsonValueKind.String && m["commandid"].TryGetGuid(out _)
            && Instant(m["at"]) is not null
            && NullableString(m["result"]) is "applied" or "duplicate" or "rejected"
            && (!m.TryGetValue("reason", out var reason) || NullableString(reason) is not { } r || Storable(r));
    }

    private static bool Status(JsonElement root)
    {
        var m = Members(root, ["online", "relay", "creditwh", "energywh", "at", "keyrevision"], ["online"]);
        if (m is null || m["online"].ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return false;
        }
        bool Optional(string name, Func<JsonElement, bool> valid) => !m.TryGetValue(name, out var v) || v.ValueKind == JsonValueKind.Null || valid(v);
        return Optional("relay", v => NullableString(v) is { Length: <= 20 } s && Storable(s))
            && Optional("creditwh", v => Long(v) is not null)
            && Optional("energywh", v => Long(v) is not null)
            && Optional("at", v => Instant(v) is not null)
            && Optional("keyrevision", v => Int(v) is >= 0 and <= 15);
    }

    private static Instant? Instant(JsonElement e) =>
        e.ValueKind == JsonValueKind.String && e.TryGetDateTimeOffset(out var at) ? NodaTime.Instant.FromDateTimeOffset(at) : null;

    private static long? Long(JsonElement e) => e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var v) ? v : null;

    private static int? Int(JsonElement e) => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v) ? v : null;

    private static string? NullableString(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => e.GetString(),
        _ => throw new JsonException("not a string"),
    };

    /// <summary>Text a database can store: no NUL (PostgreSQL's text refuses it).</summary>
    private static bool Storable(string s) => !s.Contains('\0', StringComparison.Ordinal);
}
