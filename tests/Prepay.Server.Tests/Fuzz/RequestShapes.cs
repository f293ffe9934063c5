using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Prepay.Testing;

namespace Prepay.Server.Tests.Fuzz;

/// <summary>
/// What an endpoint expects, guessed from what it declares: a JSON body of its request type (filled with real
/// values where a name says what it is), its route filled with the demo's codes, numbers and ids, a page's form
/// fields from its bound properties. A starting point for mutation, so that the fuzzer reaches past the first check.
/// </summary>
public static class RequestShapes
{
    private static readonly string[] Texts = ["SUNRISE", "A-101", "ZAR", "100.00", "1", "0", "token", "smart", "shop", "operator", "vendor", "reason given", "+27 82 555 0100", "thandi@example.org", "RES-IBT", "CORNER-SHOP", "2026-11-23", "2026-11-23T08:00:00Z", "https://example.org/hook", "disconnect"];

    /// <summary>The path with each route parameter filled with a value of its kind (a real one when there is one).</summary>
    public static string Path(RoutePattern pattern, Random rng, IReadOnlyDictionary<string, string[]> values)
    {
        var parts = new List<string>();
        foreach (var segment in pattern.PathSegments)
        {
            var text = "";
            foreach (var part in segment.Parts)
            {
                text += part switch
                {
                    RoutePatternLiteralPart literal => literal.Content,
                    RoutePatternParameterPart parameter => Uri.EscapeDataString(RouteValue(parameter, rng, values)),
                    _ => "",
                };
            }
            parts.Add(text);
        }
        return "/" + string.Join('/', parts);
    }

    private static string RouteValue(RoutePatternParameterPart parameter, Random rng, IReadOnlyDictionary<string, string[]> values)
    {
        var constraints = parameter.ParameterPolicies.Select(p => p.Content).ToList();
        var kind = constraints.Contains("guid") ? "guid" : constraints.Contains("long") || constraints.Contains("int") ? "long" : parameter.Name;
        if (rng.Next(10) == 0 && kind is not ("guid" or "long"))
        {
            return rng.Next(3) switch { 0 => new string('9', 300), 1 => "..", _ => "ünïcödé" };
        }
        var pool = values.TryGetValue(kind, out var known) ? known : values["code"];
        return pool[rng.Next(pool.Length)];
    }

    /// <summary>A JSON value shaped like <paramref name="type"/>, or a plausible object when the endpoint names no type.</summary>
    public static JsonNode Body(Type? type, RouteEndpoint endpoint, Random rng, IReadOnlyDictionary<string, string[]> values)
    {
        if (type is null || type == typeof(object))
        {
            var route = endpoint.RoutePattern.RawText ?? "";
            return route switch
            {
                _ when route.EndsWith("/tariffs/", StringComparison.Ordinal) || route.EndsWith("/tariffs", StringComparison.Ordinal) => JsonNode.Parse(Scenario.FlatTariff("FUZZ" + rng.Next(1000)))!,
                _ when route.Contains("vends", StringComparison.Ordinal) => new JsonObject { ["meterNumber"] = Pick(values["meterNumber"], rng), ["site"] = "SUNRISE", ["unit"] = "A-101", ["amount"] = "20.00", ["currency"] = "ZAR", ["reason"] = "wrong meter" },
                _ when route.Contains("tokens", StringComparison.Ordinal) => new JsonObject { ["kind"] = "clearCredit", ["reason"] = "meter swapped", ["register"] = "electricity" },
                _ when route.Contains("key-change", StringComparison.Ordinal) => new JsonObject { ["toKeyRevision"] = 2, ["toSupplyGroupCode"] = 123456, ["toTariffIndex"] = 1, ["reason"] = "rollover" },
                _ when route.Contains("callbacks", StringComparison.Ordinal) => new JsonObject { ["callbackId"] = Guid.NewGuid(), ["paymentId"] = Guid.NewGuid(), ["status"] = "approved", ["amount"] = "20.00", ["currency"] = "ZAR" },
                _ => new JsonObject { ["reason"] = "checked on site", ["amount"] = "10.00" },
            };
        }
        return Sample(type, rng, values, 0);
    }

    private static JsonNode Sample(Type type, Random rng, IReadOnlyDictionary<string, string[]> values, int depth, string? name = null)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string))
        {
            return JsonValue.Create(name is not null && values.TryGetValue(name, out var known) ? Pick(known, rng) : Pick(Texts, rng))!;
        }
        if (t == typeof(bool))
        {
            return JsonValue.Create(rng.Next(2) == 0);
        }
        if (t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(byte))
        {
            return JsonValue.Create(rng.Next(-2, 1000));
        }
        if (t == typeof(decimal) || t == typeof(double))
        {
            return JsonValue.Create(rng.Next(0, 10000) / 100m);
        }
        if (t == typeof(Guid))
        {
            return JsonValue.Create(Pick(values["guid"], rng))!;
        }
        if (t.IsEnum)
        {
            var names = Enum.GetNames(t);
            var pick = names[rng.Next(names.Length)];
            return JsonValue.Create(char.ToLowerInvariant(pick[0]) + pick[1..])!;
        }
        if (t.FullName is { } full && (full.StartsWith("NodaTime.", StringComparison.Ordinal) || t == typeof(DateTimeOffset) || t == typeof(DateOnly)))
        {
            return JsonValue.Create(t.Name.Contains("Date", StringComparison.Ordinal) ? "2026-11-23" : "2026-11-23T08:00:00Z")!;
        }
        if (t == typeof(JsonElement) || t == typeof(JsonNode) || t == typeof(JsonObject) || t == typeof(object) || depth > 3)
        {
            return new JsonObject();
        }
        if (t.GetInterfaces().Concat([t]).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>)) is { } dictionary)
        {
            return new JsonObject { ["key"] = Sample(dictionary.GetGenericArguments()[1], rng, values, depth + 1) };
        }
        if (t != typeof(string) && typeof(IEnumerable).IsAssignableFrom(t))
        {
            var item = t.IsArray ? t.GetElementType()! : t.GetGenericArguments().FirstOrDefault() ?? typeof(string);
            return new JsonArray([.. Enumerable.Range(0, 1 + rng.Next(2)).Select(_ => Sample(item, rng, values, depth + 1))]);
        }
        var o = new JsonObject();
        foreach (var (member, memberType) in Members(t))
        {
            o[JsonNamingPolicy.CamelCase.ConvertName(member)] = Sample(memberType, rng, values, depth + 1, member);
        }
        return o;
    }

    /// <summary>A type's settable or constructor-bound members.</summary>
    public static IEnumerable<(string Name, Type Type)> Members(Type t) =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).Select(p => (p.Name, p.PropertyType));

    /// <summary>Form fields for a bound value: a simple one under its name, a complex one as <c>Name.Member</c>.</summary>
    public static IEnumerable<(string Field, Type Type)> FormFields(string name, Type type, int depth = 0)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(Guid) || t.Namespace?.StartsWith("NodaTime", StringComparison.Ordinal) == true
            || t == typeof(DateTimeOffset) || t == typeof(DateOnly) || depth > 2 || (typeof(IEnumerable).IsAssignableFrom(t)))
        {
            return [(name, t)];
        }
        return Members(t).SelectMany(m => FormFields($"{name}.{m.Name}", m.Type, depth + 1));
    }

    /// <summary>A form value for a field of <paramref name="type"/>: usually plausible, sometimes hostile.</summary>
    public static string FormValue(string field, Type type, Random rng, IReadOnlyDictionary<string, string[]> values)
    {
        if (rng.Next(4) == 0)
        {
            return Hostile(rng);
        }
        var leaf = field.Split('.')[^1];
        return type switch
        {
            _ when type == typeof(bool) => rng.Next(2) == 0 ? "true" : "false",
            _ when type == typeof(int) || type == typeof(long) => rng.Next(-2, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ when type == typeof(Guid) => Pick(values["guid"], rng),
            _ when type.IsEnum => Pick(Enum.GetNames(type), rng),
            _ when values.TryGetValue(leaf, out var known) => Pick(known, rng),
            _ => Pick(Texts, rng),
        };
    }

    /// <summary>A hostile text value: huge, NUL, control and direction characters, markup, formulas, numbers out of range.</summary>
    public static string Hostile(Random rng) => rng.Next(14) switch
    {
        0 => new string('x', 1000 + rng.Next(150_000)),
        1 => "a\0b",
        2 => "\u202e\u0007\u001b[31m",
        3 => "<script>alert(1)</script>",
        4 => "=HYPERLINK(\"http://x\")",
        5 => "99999999999999999999999999.99",
        6 => "-1",
        7 => "1e400",
        8 => "",
        9 => " ",
        10 => "\ud800",
        11 => "0.001",
        12 => "9223372036854775808",
        _ => "../../etc/passwd",
    };

    public static string Pick(string[] pool, Random rng) => pool[rng.Next(pool.Length)];
}
