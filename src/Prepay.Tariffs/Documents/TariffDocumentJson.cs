namespace Prepay.Tariffs.Documents;

/// <summary>The JSON form of tariff documents (format described in the module's README).</summary>
public static class TariffDocumentJson
{
    /// <summary>Reads and validates a document.</summary>
    /// <exception cref="TariffFormatException">The first problem found, naming its field, e.g. <c>energy.blocks[1].uptoKwh</c>.</exception>
    public static TariffDocument Parse(string json) => TariffReader.Read(json);

    /// <summary>Writes a document that <see cref="Parse"/> reads back to the same tariff.</summary>
    public static string Serialize(TariffDocument tariff)
    {
        ArgumentNullException.ThrowIfNull(tariff);
        return TariffWriter.Write(tariff);
    }
}
