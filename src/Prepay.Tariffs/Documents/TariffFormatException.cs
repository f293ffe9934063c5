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
}
