using System.Text.Json;

namespace Prepay.Tariffs.Documents;

/// <summary>
/// Reads one JSON object while remembering where it is, so every error names its field by path. Fields not read
/// are refused by <see cref="RefuseUnknown"/>: a misspelt optional field must not be silently ignored.
/// </summary>
internal sealed class JsonFields
{
    private readonly JsonElement element;
    private readonly HashSet<string> read = new(StringComparer.Ordinal);

    private JsonFields(JsonElement element, string path)
    {
        this.element = element;
        Path = path;
    }

    public string Path { get; }

    public static JsonFields Of(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Object
            ? new JsonFields(element, path)
            : throw new TariffFormatException(path.Length == 0 ? "(document)" : path, "must be a JSON object");

    public string PathOf(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

    public TariffFormatException Error(string name, string problem) => new(PathOf(name), problem);

    public bool Has(string name) => TryGet(name, out _);

    public string String(string name) =>
        OptionalString(name) ?? throw Error(name, "is required");

    public string? OptionalString(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Error(name, "must be a string (decimal amounts are written as strings, e.g. \"2.50\")");
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

    public bool Boolean(string name)
    {
        if (!TryGet(name, out var value))
        {
            throw Error(name, "is required");
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(name, "must be true or false"),
        };
    }

    public JsonFields Object(string name) =>
        TryGet(name, out var value) ? Of(value, PathOf(name)) : throw Error(name, "is required");

    public JsonFields? OptionalObject(string name) =>
        TryGet(name, out var value) ? Of(value, PathOf(name)) : null;

    /// <summary>The members of a JSON object used as a map (names are data, e.g. period names).</summary>
    public IReadOnlyList<(string Key, string Value, string Path)> StringMap(string name)
    {
        var map = Object(name);
        var entries = new List<(string, string, string)>();
        foreach (var property in map.element.EnumerateObject())
        {
            map.read.Add(property.Name);
            entries.Add((property.Name, map.OptionalString(property.Name)!, map.PathOf(property.Name)));
        }
        return entries;
    }

    public IReadOnlyList<JsonFields> Objects(string name, bool required) =>
        Array(name, required).Select(x => Of(x.Element, x.Path)).ToList();

    public IReadOnlyList<(string Value, string Path)> Strings(string name, bool required) =>
        Array(name, required)
            .Select(x => x.Element.ValueKind == JsonValueKind.String
                ? (x.Element.GetString()!, x.Path)
                : throw new TariffFormatException(x.Path, "must be a string"))
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
        return element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
    }
}
