using System.Text;
using System.Text.Json.Nodes;

namespace Prepay.Testing.Fuzz;

/// <summary>A fuzzed input and how it was made (shown when a case fails).</summary>
public sealed record Mutant(string Description, byte[] Bytes)
{
    public string Text => Encoding.UTF8.GetString(Bytes);

    /// <summary>The input as a failure message shows it: its start, escaped.</summary>
    public string Preview(int max = 400)
    {
        var text = Text;
        var shown = text.Length <= max ? text : text[..max] + $"… ({Bytes.Length} bytes)";
        return new string([.. shown.Select(c => char.IsControl(c) ? '¿' : c)]);
    }
}

/// <summary>
/// Turns a valid JSON document into a likely-invalid one, the way broken or hostile clients do: a value replaced by a
/// hostile one (huge or fractional numbers, wrong types, NUL, lone surrogates, dates out of range, deep nesting), a
/// member removed, added or given twice, null or repeated array items, huge arrays, and byte-level damage (flipped
/// bits, truncation, invalid UTF-8, random bytes). Everything is drawn from the caller's seeded random.
/// </summary>
public static class JsonMutations
{
    /// <summary>Hostile JSON values, as raw text.</summary>
    public static readonly string[] HostileValues =
    [
        "1e400", "-1e400", "9223372036854775808", "-9223372036854775809", "18446744073709551616", "2147483648", "-2147483649",
        "1.5", "-0", "1e-400", "0.0000001", "1E2", "01", "+1", "NaN", "Infinity", "0x10",
        "\"123\"", "true", "false", "null", "[]", "{}", "\"\"", "\" \"", "\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"\\udc00x\"",
        "\"\\u202e\\u0007\\u001b[31m\"", "\"<script>alert(1)</script>\"", "\"'; DROP TABLE vends; --\"", "\"=HYPERLINK(\\\"http://x\\\")\"",
        "\"2026-13-45T99:00:00Z\"", "\"9999-12-31T23:59:59-14:00\"", "\"0001-01-01T00:00:00+14:00\"", "\"2026-11-23T08:15:00\"",
        "\"2026-11-23\"", "\"00000000-0000-0000-0000-000000000000\"", "\"not-a-guid\"", "\"../../etc/passwd\"",
        "\"%00\"", "\"\\\\\"", "\"ZAR\"", "\"XXX\"", "\"-100.00\"", "\"100.001\"", "\"1e9\"", "\"99999999999999999999.99\"",
    ];

    public static Mutant Mutate(Random rng, JsonNode valid)
    {
        var roll = rng.Next(100);
        if (roll < 60)
        {
            var structural = Structural(rng, valid.DeepClone());
            // Now and then damage the bytes of a structural mutant as well.
            return rng.Next(4) == 0 ? Bytes(rng, structural) : structural;
        }
        return Bytes(rng, new Mutant("valid", Encoding.UTF8.GetBytes(valid.ToJsonString())));
    }

    private static Mutant Structural(Random rng, JsonNode root)
    {
        var nodes = Walk(root).ToList();
        var choice = rng.Next(9);
        switch (choice)
        {
            case 0 or 1 or 2:
            {
                // Replace one value (any depth) by a hostile one, spliced in as raw text.
                var target = nodes[rng.Next(nodes.Count)];
                var value = HostileValues[rng.Next(HostileValues.Length)];
                if (rng.Next(8) == 0)
                {
                    var depth = 65 + rng.Next(2000);
                    value = rng.Next(2) == 0 ? new string('[', depth) + new string(']', depth) : $"\"{new string('x', 1000 + rng.Next(100_000))}\"";
                }
                return Splice(root, target, value, $"value at {target.GetPath()} := {Short(value)}");
            }
            case 3:
            {
                var objects = nodes.OfType<JsonObject>().Where(o => o.Count > 0).ToList();
                if (objects.Count == 0)
                {
                    goto default;
                }
                var o = objects[rng.Next(objects.Count)];
                var name = o.ElementAt(rng.Next(o.Count)).Key;
                o.Remove(name);
                return Text(root, $"removed {o.GetPath()}.{name}");
            }
            case 4:
            {
                var objects = nodes.OfType<JsonObject>().ToList();
                var o = objects[rng.Next(objects.Count)];
                var name = rng.Next(3) switch { 0 => "extra", 1 => "__proto__", _ => "constructor" };
                o[name] = 1;
                return Text(root, $"added {o.GetPath()}.{name}");
            }
            case 5:
            {
                // The same member twice (JsonObject cannot hold that: done on the text), the second with another value
                // and perhaps another letter case.
                var objects = nodes.OfType<JsonObject>().Where(o => o.Count > 0).ToList();
                if (objects.Count == 0)
                {
                    goto default;
                }
                var o = objects[rng.Next(objects.Count)];
                var (name, value) = o.ElementAt(rng.Next(o.Count));
                var twinName = rng.Next(2) == 0 ? name : name.ToUpperInvariant();
                var twin = $"\"{twinName}\":{(rng.Next(2) == 0 ? value?.ToJsonString() ?? "null" : HostileValues[rng.Next(HostileValues.Length)])}";
                var marker = "\"" + Guid.NewGuid().ToString("N") + "\"";
                o["__twin"] = JsonValue.Create(marker.Trim('"'));
                var text = root.ToJsonString().Replace($"\"__twin\":{marker}", twin, StringComparison.Ordinal);
                return new Mutant($"duplicated {o.GetPath()}.{name} as {twinName}", Encoding.UTF8.GetBytes(text));
            }
            case 6:
            {
                var arrays = nodes.OfType<JsonArray>().ToList();
                if (arrays.Count == 0)
                {
                    goto default;
                }
                var a = arrays[rng.Next(arrays.Count)];
                var how = rng.Next(3);
                if (how == 0 || a.Count == 0)
                {
                    a.Insert(rng.Next(a.Count + 1), null);
                    return Text(root, $"null item in {a.GetPath()}");
                }
                var item = a[rng.Next(a.Count)]!;
                var copies = how == 1 ? 1 : 900 + rng.Next(1200);
                for (var k = 0; k < copies; k++)
                {
                    a.Add(item.DeepClone());
                }
                return Text(root, $"{copies} more copies of an item of {a.GetPath()}");
            }
            case 7:
            {
                // The whole document nested deeper than any parser should follow.
                var depth = 65 + rng.Next(5000);
                var text = new string('[', depth) + root.ToJsonString() + new string(']', depth);
                return new Mutant($"nested {depth} deep", Encoding.UTF8.GetBytes(text));
            }
            default:
            {
                var other = rng.Next(4) switch
                {
                    0 => "[]",
                    1 => "null",
                    2 => "\"" + root.ToJsonString().Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
                    _ => "42",
                };
                return new Mutant($"document := {other[..Math.Min(other.Length, 20)]}", Encoding.UTF8.GetBytes(other));
            }
        }
    }

    private static Mutant Bytes(Random rng, Mutant from)
    {
        var bytes = from.Bytes.ToList();
        string what;
        switch (rng.Next(7))
        {
            case 0:
            {
                var flips = 1 + rng.Next(4);
                for (var k = 0; k < flips && bytes.Count > 0; k++)
                {
                    var at = rng.Next(bytes.Count);
                    bytes[at] ^= (byte)(1 << rng.Next(8));
                }
                what = $"{flips} bit(s) flipped";
                break;
            }
            case 1:
            {
                var keep = bytes.Count == 0 ? 0 : rng.Next(bytes.Count);
                bytes.RemoveRange(keep, bytes.Count - keep);
                what = $"truncated to {keep} bytes";
                break;
            }
            case 2:
            {
                byte[][] invalid = [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0x00], [0xE2, 0x82]];
                var bad = invalid[rng.Next(invalid.Length)];
                var at = rng.Next(bytes.Count + 1);
                bytes.InsertRange(at, bad);
                what = $"bytes {Convert.ToHexString(bad)} inserted at {at}";
                break;
            }
            case 3:
            {
                if (bytes.Count > 1)
                {
                    var start = rng.Next(bytes.Count);
                    var length = 1 + rng.Next(Math.Min(64, bytes.Count - start));
                    var slice = bytes.GetRange(start, length);
                    bytes.InsertRange(rng.Next(bytes.Count + 1), slice);
                }
                what = "a slice repeated";
                break;
            }
            case 4:
            {
                var junk = new byte[1 + rng.Next(256)];
                rng.NextBytes(junk);
                bytes = [.. junk];
                what = $"{junk.Length} random bytes";
                break;
            }
            case 5:
            {
                bytes.Clear();
                what = "empty";
                break;
            }
            default:
            {
                var at = rng.Next(bytes.Count + 1);
                var text = Encoding.UTF8.GetBytes(rng.Next(3) switch { 0 => "}", 1 => ",", _ => "\"" });
                bytes.InsertRange(at, text);
                what = $"stray punctuation at {at}";
                break;
            }
        }
        return new Mutant($"{from.Description}; {what}", [.. bytes]);
    }

    private static IEnumerable<JsonNode> Walk(JsonNode node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a,
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            foreach (var n in Walk(child))
            {
                yield return n;
            }
        }
    }

    private static Mutant Splice(JsonNode root, JsonNode target, string raw, string description)
    {
        if (ReferenceEquals(root, target))
        {
            return new Mutant(description, Encoding.UTF8.GetBytes(raw));
        }
        var marker = Guid.NewGuid().ToString("N");
        target.ReplaceWith(JsonValue.Create(marker));
        return new Mutant(description, Encoding.UTF8.GetBytes(root.ToJsonString().Replace($"\"{marker}\"", raw, StringComparison.Ordinal)));
    }

    private static Mutant Text(JsonNode root, string description) => new(description, Encoding.UTF8.GetBytes(root.ToJsonString()));

    private static string Short(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
