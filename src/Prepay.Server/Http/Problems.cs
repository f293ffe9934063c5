using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Prepay.Server.Http;

/// <summary>
/// RFC 9457 problem details for every error. <c>type</c> is a stable URN per kind of problem
/// (<c>urn:prepay:problem:insufficient-float</c>) that clients can switch on; <c>detail</c> is for people.
/// </summary>
public static class Problems
{
    public static string Type(string code) => "urn:prepay:problem:" + code;

    public static ProblemHttpResult Of(int status, string code, string title, string detail) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Type = Type(code), Title = title, Detail = detail });

    public static ProblemHttpResult NotFound(string detail) => Of(StatusCodes.Status404NotFound, "not-found", "Not found", detail);

    public static ProblemHttpResult Conflict(string code, string detail) => Of(StatusCodes.Status409Conflict, code, "Conflict", detail);

    public static ProblemHttpResult Unprocessable(string code, string detail) => Of(StatusCodes.Status422UnprocessableEntity, code, "Unprocessable request", detail);

    /// <summary>400 with the problems per field, as <c>errors: { "amount": ["must be greater than zero"] }</c>.</summary>
    public static ValidationProblem Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is invalid", type: Type("validation"));

    public static ValidationProblem Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>Writes a problem straight to the response, for code outside endpoints (authentication, rate limiting).</summary>
    public static async Task Write(HttpContext context, int status, string code, string title, string detail, bool wwwAuthenticate = false)
    {
        if (context.Response.HasStarted)
        {
            return;
        }
        context.Response.StatusCode = status;
        if (wwwAuthenticate)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }
        var writer = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await writer.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Type = Type(code), Title = title, Detail = detail },
        });
    }
}
