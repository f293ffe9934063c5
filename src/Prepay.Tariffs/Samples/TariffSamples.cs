using Prepay.Tariffs.Documents;

namespace Prepay.Tariffs.Samples;

/// <summary>The sample tariffs shipped inside the assembly, for demos and seeding.</summary>
public static class TariffSamples
{
    public const string ResidentialFlat = "residential-flat";
    public const string ResidentialBlocks = "residential-blocks";
    public const string CommercialTimeOfUse = "commercial-tou";

    public static IReadOnlyList<string> Names { get; } = [ResidentialFlat, ResidentialBlocks, CommercialTimeOfUse];

    /// <summary>The document's JSON text as shipped.</summary>
    public static string Json(string name)
    {
        if (!Names.Contains(name))
        {
            throw new ArgumentException($"No sample tariff '{name}'; samples are {string.Join(", ", Names)}.", nameof(name));
        }
        using var stream = typeof(TariffSamples).Assembly.GetManifestResourceStream($"Prepay.Tariffs.Samples.{name}.json")
            ?? throw new InvalidOperationException($"Sample tariff '{name}' is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static TariffDocument Load(string name) => TariffDocumentJson.Parse(Json(name));

    public static IReadOnlyList<TariffDocument> LoadAll() => Names.Select(Load).ToList();
}
