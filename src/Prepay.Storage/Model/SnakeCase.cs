using System.Text;

namespace Prepay.Storage.Model;

internal static class SnakeCase
{
    /// <summary><c>MeterNumber</c> → <c>meter_number</c>: plain SQL reads the same on SQLite and PostgreSQL.</summary>
    public static string From(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
                {
                    sb.Append('_');
                }
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
