namespace Prepay.Tariffs.Documents;

/// <summary>A tariff document that cannot be used. <see cref="Field"/> is the JSON path of the culprit, e.g. <c>energy.blocks[1].uptoKwh</c>.</summary>
public sealed class TariffFormatException : FormatException
{
    public TariffFormatException()
    {
        Field = "";
    }

    public TariffFormatException(string message)
        : base(message)
    {
        Field = "";
    }

    public TariffFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "";
    }

    public TariffFormatException(string field, string problem, Exception? innerException = null)
        : base($"{field} {problem}", innerException)
    {
        Field = field;
    }

    public string Field { get; }

    /// <summary>For the shared document reader (<c>Prepay.Domain.Documents.JsonObjectReader</c>): a problem at a path.</summary>
    internal static Exception Of(string field, string problem) => new TariffFormatException(field, problem);

    /// <summary>What a tariff's value that should be a string is told: amounts are strings, so say how to write one.</summary>
    internal const string NotAString = "must be a string (decimal amounts are written as strings, e.g. \"2.50\")";
}
