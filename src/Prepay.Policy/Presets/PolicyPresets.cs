using Prepay.Policy.Documents;

namespace Prepay.Policy.Presets;

/// <summary>
/// Policies shipped as embedded documents, each citing its sources in its <c>source</c> field and saying in its
/// <c>notes</c> what could not be confirmed:
/// <list type="bullet">
/// <item><c>GB-OFGEM</c>: Ofgem's prepayment protections (electricity supply licence SLC 28B, self-disconnection
/// decision in force 15 December 2020: emergency and friendly-hours credit; hours as suppliers publish them).</item>
/// <item><c>IN-UPPCL</c>: UPPCL's smart prepaid rules (no disconnection 18:00 to 08:00, on Sundays and public
/// holidays, in emergency credit or the 30-day grace after conversion; alerts at 30/10/0 % of the recharge).</item>
/// <item><c>ZA-MUNICIPAL</c>: a South African municipal default (business hours only, never at weekends or on
/// public holidays of the Public Holidays Act 36 of 1994).</item>
/// <item><c>PREPAY-DEFAULT</c>: the conservative policy used where none is assigned.</item>
/// </list>
/// </summary>
public static class PolicyPresets
{
    public const string Default = "PREPAY-DEFAULT";

    public static IReadOnlyList<string> Codes { get; } = ["GB-OFGEM", "IN-UPPCL", "ZA-MUNICIPAL", Default];

    /// <summary>The preset's JSON as shipped (what <c>prepay</c> users publish).</summary>
    public static string Json(string code)
    {
        var assembly = typeof(PolicyPresets).Assembly;
        using var stream = assembly.GetManifestResourceStream($"Prepay.Policy.Presets.{code}.json")
                           ?? throw new ArgumentException($"No preset '{code}' (known: {string.Join(", ", Codes)}).", nameof(code));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static PolicyDocument Load(string code) => PolicyDocumentJson.Parse(Json(code));

    /// <summary>The built-in policy for a meter with none assigned: it protects, it does not allow everything.</summary>
    public static PolicyDocument Conservative { get; } = Load(Default);
}
