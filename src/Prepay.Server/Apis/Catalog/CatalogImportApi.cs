using System.Text;
using Microsoft.AspNetCore.Mvc;
using Prepay.Catalog.Imports;
using Prepay.Server.Auth;
using Prepay.Server.Http;

namespace Prepay.Server.Apis;

/// <summary>
/// Bulk import and export of the catalog (docs/import.md): an installations file as the body (<c>text/csv</c>), checked
/// whole with <c>dryRun=true</c>, else imported all or nothing; the same format out.
/// </summary>
public static class CatalogImportApi
{
    /// <summary>The largest file taken: about 100,000 rows.</summary>
    public const long MaxBytes = 32 * 1024 * 1024;

    public static void MapCatalogImportApi(this RouteGroupBuilder api)
    {
        api.MapPost("/catalog/import", Import).RequireAuthorization(Policies.Admin).WithTags("Catalog").Accepts<string>("text/csv")
            .WithSummary("Sites, units, customers and meters with their STS parameters, installation and tariff from an installations file (text/csv): dryRun=true checks it and answers what it would make; otherwise all of it is imported, or none of it with every problem by line and column (422). Importing a file again changes nothing.");
        api.MapGet("/catalog/export", Export).RequireAuthorization(Policies.Admin).WithTags("Catalog")
            .WithSummary("Every meter installed now, as an installations file (text/csv).");
    }

    private static async Task<IResult> Import(HttpRequest request, bool? dryRun, CatalogImport import, CancellationToken ct)
    {
        if (request.ContentType is not { } type || !type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Of(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type", "Send the installations file as text/csv.");
        }
        if (request.ContentLength > MaxBytes)
        {
            return Problems.Of(StatusCodes.Status413PayloadTooLarge, "too-large", "Too large", $"At most {MaxBytes} bytes.");
        }
        // The server takes small bodies elsewhere; an installations file may be large.
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBytes;
        }
        using var body = new StreamReader(request.Body, Encoding.UTF8);
        var actor = ApiKeyAuthentication.ActorOf(request.HttpContext.User);
        return await import.RunAsync(body, dryRun ?? false, actor, ct) switch
        {
            ImportOutcome.Checked c => TypedResults.Ok(new { dryRun = true, plan = c.Plan }),
            ImportOutcome.Imported i => TypedResults.Ok(new { dryRun = false, plan = i.Plan }),
            ImportOutcome.Refused r => Refused(r.Problems),
            var other => throw new InvalidOperationException(other.ToString()),
        };
    }

    private static IResult Refused(IReadOnlyList<ImportProblem> problems)
    {
        var details = new ProblemDetails
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Type = Problems.Type("import-refused"),
            Title = "Import refused",
            Detail = $"{problems.Count} problem(s); nothing was written.",
        };
        details.Extensions["problems"] = problems;
        return TypedResults.Problem(details);
    }

    // Written whole, then sent: the CSV writer writes synchronously, which the response body does not take.
    private static async Task<IResult> Export(CatalogExport export, CancellationToken ct)
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        await export.WriteAsync(text, ct);
        return TypedResults.File(new UTF8Encoding(false).GetBytes(text.ToString()), "text/csv; charset=utf-8", "installations.csv");
    }
}
