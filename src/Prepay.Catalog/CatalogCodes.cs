namespace Prepay.Catalog;

/// <summary>
/// Codes of sites, vendors and tariffs: what people type, so short and unambiguous. One rule for the API that creates
/// them and the import that names them, so a code the API takes is one a file may carry, and the other way round.
/// </summary>
public static class CatalogCodes
{
    public const string Rule = "must be 1 to 40 letters, digits, '-' or '_'";

    public static bool IsValid(string? code) =>
        !string.IsNullOrEmpty(code) && code.Length <= 40 && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
