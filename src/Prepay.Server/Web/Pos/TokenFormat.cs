namespace Prepay.Server.Web.Pos;

/// <summary>How a token is shown to a person: 20 digits in groups of four, as keypads and receipts print them.</summary>
public static class TokenFormat
{
    public static string Grouped(string? token) =>
        token is null ? "" : string.Join(' ', token.Chunk(4).Select(c => new string(c)));
}
