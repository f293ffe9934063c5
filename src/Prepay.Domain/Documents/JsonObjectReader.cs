using System.Text.Json;

namespace Prepay.Domain.Documents;

/// <summary>
/// Reads one JSON object of a document an operator writes (a tariff, a disconnection policy) while remembering its
/// JSON path, so every problem names where it is. A field that is null counts as left out. Fields not read are
/// refused by <see cref="RefuseUnknown"/>: a misspelt optional field must not be silently ignored (an ignored
/// protection is a customer disconnected, an ignored cap a customer overcharged). Each module names its own
/// exception (<c>Problem</c>: path and problem to exception), so its callers catch what they always caught.
/// </summary>
public sealed class JsonObjectReader
{
    private readonly JsonElement element;
    private readonly Func<string, string, Exception> problem;
    private readonly string notAString;
    private readonly HashSet<string> read = new(StringComparer.Ordinal);

    private JsonObjectReader(JsonElement element, string path, Func<string, string, Exception> problem, string notAString)
    {
        this.element = element;
        this.problem = problem;
        this.notAString = notAString;
        Path = path;
    }

    /// <summary>Where this object is: empty for a document's root (its own problems then name <c>(document)</c>).</summary>
    public string Path { get; }

    /// <param name="element">The object.</param>
    /// <param name="path">Its JSON path, or empty for the root.</param>
    /// <param name="problem">The module's exception for a path and a problem.</param>
    /// <param name="notAString">What a value that should be a string is told (a module may add how to write one).</param>
    public static JsonObjectReader Of(JsonElement element, string path, Func<string, string, Exception> problem, string notAString = "must be a string")
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(problem);
        return element.ValueKind == JsonValueKind.Object
            ? new JsonObjectReader(element, path, problem, notAString)
            : throw problem(path.Length == 0 ? "(document)" : path, "must be a JSON object");
    }

    private JsonObjectReader Child(JsonElement value, string path) => Of(value, path, problem, notAString);

    public string PathOf(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

    public Exception Error(string name, string description) => problem(PathOf(name), description);

    /// <summary>Whether the field is given (and not null); it counts as read.</summary>
    public bool Has(string name) => TryGet(name, out _);

    /// <summary>The names of the object's members (for objects whose member names are data).</summary>
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
            : throw Error(name, notAString);
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
        TryGet(name, out var value) ? Child(value, PathOf(name)) : throw Error(name, "is required");

    public JsonObjectReader? OptionalObject(string name) =>
        TryGet(name, out var value) ? Child(value, PathOf(name)) : null;

    /// <summary>The members of a JSON object used as a map (names are data, e.g. period names), each a string.</summary>
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

    public IReadOnlyList<JsonObjectReader> Objects(string name, bool required) =>
        Array(name, required).Select(x => Child(x.Element, x.Path)).ToList();

    public IReadOnlyList<(JsonElement Element, string Path)> Items(string name, bool required) => Array(name, required);

    public IReadOnlyList<(string Value, string Path)> Strings(string name, bool required) =>
        Array(name, required)
            .Select(x => x.Element.ValueKind == JsonValueKind.String ? (x.Element.GetString()!, x.Path) : throw problem(x.Path, "must be a string"))
            .ToList();

    public IReadOnlyList<string> NonBlankStrings(string name, bool required) =>
        Array(name, required)
            .Select(x => x.Element.ValueKind == JsonValueKind.String && x.Element.GetString()!.Trim().Length > 0
                ? x.Element.GetString()!
                : throw problem(x.Path, "must be a non-blank string"))
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
