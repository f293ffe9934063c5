using System.Text.Json;

namespace Prepay.Policy.Documents;

/// <summary>
/// Reads one JSON object while remembering its JSON path, so every problem names where it is. Fields not read are
/// refused by <see cref="RefuseUnknown"/>: a misspelt optional rule (say "moratoria" as "moratorium") must not be
/// silently ignored, for an ignored protection is a customer disconnected.
/// </summary>
internal sealed class JsonObjectReader
{
    private readonly JsonElement element;
    private readonly HashSet<string> read = new(StringComparer.Ordinal);

    private JsonObjectReader(JsonElement element, string path)
    {
        this.element = element;
        Path = path;
    }

    public string Path { get; }

    public static JsonObjectReader Of(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Object
            ? new JsonObjectReader(element, path)
            : throw new PolicyFormatException(path, "must be a JSON object");

    public string PathOf(string name) => $"{Path}.{name}";

    public PolicyFormatException Error(string name, string problem) => new(PathOf(name), problem);

    public bool Has(string name) => element.TryGetProperty(name, out _);

    public IEnumerable<string> Names => element.EnumerateObject().Select(p => p.Name);

    public string String(string name) => OptionalString(name) ?? throw Error(name, "is required");

    public string? OptionalString(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Error(name, "must be a string");
    }

    public string NonBlank(string name)
    {
        var text = String(name);
        return text.Trim().Length == 0 ? throw Error(name, "must not be blank") : text;
    }

    public long Integer(string name) => OptionalInteger(name) ?? throw Error(name, "is required");

    public long? OptionalInteger(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n)
            ? n
            : throw Error(name, "must be a whole number");
    }

    public bool? OptionalBoolean(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(name, "must be true or false"),
        };
    }

    public bool Boolean(string name) => OptionalBoolean(name) ?? throw Error(name, "is required");

    public JsonObjectReader Object(string name) =>
        TryGet(name, out var value) ? Of(value, PathOf(name)) : throw Error(name, "is required");

    public JsonObjectReader? OptionalObject(string name) =>
        TryGet(name, out var value) ? Of(value, PathOf(name)) : null;

    public IReadOnlyList<JsonObjectReader> Objects(string name, bool required) =>
        Array(name, required).Select(x => Of(x.Element, x.Path)).ToList();

    public IReadOnlyList<(JsonElement Element, string Path)> Items(string name, bool required) => Array(name, required);

    public IReadOnlyList<string> Strings(string name, bool required) =>
        Array(name, required)
            .Select(x => x.Element.ValueKind == JsonValueKind.String && x.Element.GetString()!.Trim().Length > 0
                ? x.Element.GetString()!
                : throw new PolicyFormatException(x.Path, "must be a non-blank string"))
            .ToList();

    public void RefuseUnknown()
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!read.Contains(property.Name))
            {
                throw Error(property.Name, "is not a known field");
            }
        }
    }

    private List<(JsonElement Element, string Path)> Array(string name, bool required)
    {
        if (!TryGet(name, out var value))
        {
            return required ? throw Error(name, "is required") : [];
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error(name, "must be an array");
        }
        return value.EnumerateArray().Select((e, i) => (e, $"{PathOf(name)}[{i}]")).ToList();
    }

    private bool TryGet(string name, out JsonElement value)
    {
        read.Add(name);
        if (!element.TryGetProperty(name, out value))
        {
            return false;
        }
        return value.ValueKind != JsonValueKind.Null;
    }
}
