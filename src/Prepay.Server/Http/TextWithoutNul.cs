using System.Text.Json;
using System.Text.Json.Serialization;

namespace Prepay.Server.Http;

/// <summary>
/// Refuses a JSON string holding NUL (U+0000) as it is read, so the body is a 400 naming the member. No field of
/// Prepay means anything with NUL in it, and PostgreSQL cannot store it in text (SQLSTATE 22021): found later, it
/// would be a 500 after part of the request's work.
/// </summary>
public sealed class TextWithoutNul : JsonConverter<string>
{
    public const string Refusal = "text may not contain NUL (U+0000)";

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return text is not null && text.Contains('\0', StringComparison.Ordinal)
            ? throw new JsonException(Refusal)
            : text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
