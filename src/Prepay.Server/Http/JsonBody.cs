using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Prepay.Server.Http;

/// <summary>
/// Reads a JSON request body with errors a client can act on: 415 for another content type, 413 for a body over
/// the limit, 400 naming the line and path of malformed JSON or a value of the wrong type. Nothing is written
/// before the body has been read whole.
/// </summary>
public static class JsonBody
{
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, CancellationToken ct)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, Problems.Of(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type",
                "Send the body as 'Content-Type: application/json'."));
        }
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, options, ct);
            return value is null ? (null, Problems.Invalid("body", "a JSON object is required")) : (value, null);
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 1 } path ? $" at {path}" : "";
            return (null, Problems.Invalid(e.Path is { Length: > 1 } p ? p.TrimStart('$', '.') : "body",
                $"{(e.Message.StartsWith(TextWithoutNul.Refusal, StringComparison.Ordinal) ? TextWithoutNul.Refusal : "malformed JSON")}{where} (line {e.LineNumber + 1}, byte {e.BytePositionInLine})"));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.Of(StatusCodes.Status413PayloadTooLarge, "body-too-large", "Body too large",
                "The request body is larger than this server accepts."));
        }
    }
}
