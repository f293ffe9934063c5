using NodaTime;
using NodaTime.Text;
using Prepay.Domain.Documents;

namespace Prepay.Policy.Documents;

/// <summary>
/// Reads <c>protectedCustomers</c>: <c>{"medical": true, "vulnerable": true, "moratoria": [{"name": "winter",
/// "from": "11-01", "to": "03-31", "appliesTo": "everyone"}]}</c>. Month-days are ISO "MM-dd", both included.
/// </summary>
internal static class ProtectionsReader
{
    private static readonly AnnualDatePattern MonthDay = AnnualDatePattern.Iso;

    public static ProtectionRules Read(JsonObjectReader p)
    {
        var medical = p.Boolean("medical");
        var vulnerable = p.Boolean("vulnerable");
        var moratoria = new List<Moratorium>();
        foreach (var m in p.Objects("moratoria", required: false))
        {
            var name = m.NonBlank("name");
            if (name.Length > 40 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                throw m.Error("name", "must be at most 40 letters, digits or hyphens (it becomes the rule id moratorium.<name>)");
            }
            if (moratoria.Any(x => x.Name == name))
            {
                throw m.Error("name", $"'{name}' is used twice");
            }
            var from = PolicyDocumentJson.Parse(m, "from", MonthDay, "must be a month and day such as \"11-01\"");
            var to = PolicyDocumentJson.Parse(m, "to", MonthDay, "must be a month and day such as \"03-31\"");
            var scope = (m.OptionalString("appliesTo") ?? "everyone") switch
            {
                "everyone" => MoratoriumScope.Everyone,
                "protected" => MoratoriumScope.Protected,
                _ => throw m.Error("appliesTo", "must be \"everyone\" or \"protected\""),
            };
            m.RefuseUnknown();
            moratoria.Add(new Moratorium(name, from, to, scope));
        }
        p.RefuseUnknown();
        return new ProtectionRules(medical, vulnerable, moratoria);
    }
}
