using System.Globalization;
using CsvHelper;
using Prepay.Domain.Metering;
using Prepay.Domain.Money;
using Prepay.Domain.Sites;

namespace Prepay.Catalog.Imports;

/// <summary>A problem with a file: the line it is on (1 = the header), the column (null for the whole line or file), and what is wrong.</summary>
public sealed record ImportProblem(int Line, string? Column, string Problem);

/// <summary>One row of an installations file, read and checked on its own: a meter installed at a site's unit, with its customer.</summary>
public sealed record InstallationRow(
    int Line, string Site, string? SiteName, SiteKind SiteKind, string Unit, string? CustomerName, string? CustomerPhone, string? CustomerEmail,
    MeterNumber Meter, MeterMode Mode, Currency Currency, string Tariff, StsParameters Sts)
{
    /// <summary>The customer's credit carried over from the system before, in the meter's currency (zero when not given).</summary>
    public Money OpeningCredit { get; init; } = Money.Zero(Currency);

    /// <summary>What the customer owed in the system before (zero when not given).</summary>
    public Money OpeningArrears { get; init; } = Money.Zero(Currency);

    public bool HasOpeningBalance => OpeningCredit.IsPositive || OpeningArrears.IsPositive;
}

/// <summary>
/// The installations file (docs/import.md): one row per meter installed at a site's unit, with the unit's customer,
/// the meter's STS parameters and its tariff. The header names the columns, in any order, case and spaces aside;
/// each row is checked on its own here (what the database holds is checked by <see cref="CatalogImport"/>), every
/// problem named by line and column.
/// </summary>
public static class InstallationsCsv
{
    public static IReadOnlyList<string> Columns { get; } =
        ["site", "site_name", "site_kind", "unit", "customer_name", "customer_phone", "customer_email", "meter", "mode", "currency", "tariff", "sgc", "krn", "ti", "algorithm", "base_date", "opening_credit", "opening_arrears"];

    private static readonly string[] Required = ["site", "unit", "meter", "mode", "currency", "tariff"];

    public static (IReadOnlyList<InstallationRow> Rows, IReadOnlyList<ImportProblem> Problems) Read(TextReader text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rows = new List<InstallationRow>();
        var problems = new List<ImportProblem>();
        using var reader = CsvReader.Create(text, new CsvReaderOptions { HasHeader = true, TrackLineNumbers = true, SkipEmptyLines = true }, false);
        Dictionary<string, int> index;
        try
        {
            index = reader.Headers.Select((h, i) => (Name: Normal(h), i)).GroupBy(x => x.Name).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
        }
        catch (CsvFormatException e)
        {
            return ([], [new ImportProblem(1, null, "the header cannot be read: " + e.Message)]);
        }
        foreach (var unknown in index.Keys.Where(k => !Columns.Contains(k)).Order(StringComparer.Ordinal))
        {
            problems.Add(new ImportProblem(1, unknown, $"unknown column (known: {string.Join(", ", Columns)})"));
        }
        foreach (var missing in Required.Where(r => !index.ContainsKey(r)))
        {
            problems.Add(new ImportProblem(1, missing, "required column missing"));
        }
        if (problems.Count > 0)
        {
            return ([], problems);
        }
        try
        {
            while (reader.Read())
            {
                var line = (int)reader.LineNumber;
                var fields = Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray();
                string? Get(string column) => index.TryGetValue(column, out var i) && i < fields.Length && Unescaped(fields[i].Trim()) is { Length: > 0 } v ? v : null;
                if (ReadRow(line, Get, problems) is { } row)
                {
                    rows.Add(row);
                }
            }
        }
        catch (CsvFormatException e)
        {
            problems.Add(new ImportProblem((int)reader.LineNumber, null, "the line cannot be read as CSV: " + e.Message));
        }
        return (rows, problems);
    }

    private static InstallationRow? ReadRow(int line, Func<string, string?> get, List<ImportProblem> problems)
    {
        var before = problems.Count;
        void Bad(string column, string problem) => problems.Add(new ImportProblem(line, column, problem));
        var site = get("site");
        if (!CatalogCodes.IsValid(site))
        {
            Bad("site", CatalogCodes.Rule);
        }
        var siteName = get("site_name");
        if (siteName is { Length: > 200 })
        {
            Bad("site_name", "at most 200 characters");
        }
        var kind = SiteKind.Other;
        if (get("site_kind") is { } k && (!Enum.TryParse(k, ignoreCase: true, out kind) || !Enum.IsDefined(kind) || char.IsAsciiDigit(k[0])))
        {
            Bad("site_kind", $"must be one of {string.Join(", ", Enum.GetNames<SiteKind>())}");
        }
        var unit = get("unit");
        if (unit is null || unit.Length > 40)
        {
            Bad("unit", "is required, at most 40 characters");
        }
        var customer = get("customer_name");
        if (customer is { Length: > 200 })
        {
            Bad("customer_name", "at most 200 characters");
        }
        var phone = get("customer_phone");
        if (phone is not null && (phone.Length > 30 || !phone.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-')))
        {
            Bad("customer_phone", "must be digits, spaces, '+' or '-', at most 30 characters");
        }
        var email = get("customer_email");
        if (email is not null && (email.Length > 200 || !email.Contains('@', StringComparison.Ordinal)))
        {
            Bad("customer_email", "must be an email address");
        }
        if (customer is null && (phone is not null || email is not null))
        {
            Bad("customer_name", "is required when a phone or email is given");
        }
        if (!MeterNumber.TryParse(get("meter"), out var meter))
        {
            Bad("meter", $"must be 1 to {MeterNumber.MaxLength} letters, digits or '-'");
        }
        var mode = MeterMode.Token;
        if (get("mode") is not { } m || char.IsAsciiDigit(m[0]) || !Enum.TryParse(m, ignoreCase: true, out mode) || !Enum.IsDefined(mode))
        {
            Bad("mode", "is required: token or smart");
        }
        if (!Currency.TryFromCode(get("currency"), out var currency))
        {
            Bad("currency", "must be a supported ISO 4217 code");
        }
        var tariff = get("tariff");
        if (tariff is null || tariff.Length > 40)
        {
            Bad("tariff", "is required, at most 40 characters");
        }
        var d = StsParameters.Default;
        var sgc = Int("sgc", d.SupplyGroupCode);
        var krn = Int("krn", d.KeyRevisionNumber);
        var ti = Int("ti", d.TariffIndex);
        var algorithm = d.EncryptionAlgorithm;
        if (get("algorithm") is { } a && (!Enum.TryParse(a, ignoreCase: true, out algorithm) || !Enum.IsDefined(algorithm)))
        {
            Bad("algorithm", $"must be one of {string.Join(", ", Enum.GetNames<StsEncryptionAlgorithm>())}");
        }
        var baseDate = d.BaseDate;
        if (get("base_date") is { } b && !((Enum.TryParse("Y" + b, ignoreCase: true, out baseDate) || Enum.TryParse(b, ignoreCase: true, out baseDate)) && Enum.IsDefined(baseDate)))
        {
            Bad("base_date", $"must be one of {string.Join(", ", Enum.GetNames<StsBaseDate>().Select(n => n.TrimStart('Y')))}");
        }
        var sts = new StsParameters(sgc, krn, ti, d.KeyType, algorithm, baseDate);
        if (problems.Count == before && sts.Validate() is { } stsProblem)
        {
            Bad("sgc", stsProblem);
        }
        var credit = Amount("opening_credit");
        var arrears = Amount("opening_arrears");
        if ((credit.IsPositive || arrears.IsPositive) && customer is null)
        {
            Bad(credit.IsPositive ? "opening_credit" : "opening_arrears", "an opening balance needs the unit's customer (customer_name)");
        }
        return problems.Count > before ? null
            : new InstallationRow(line, site!, siteName, kind, unit!, customer, phone, email, meter, mode, currency, tariff!, sts) { OpeningCredit = credit, OpeningArrears = arrears };

        // An amount in the meter's currency, to its minor unit, not negative (arrears are a column of their own).
        Money Amount(string column)
        {
            // Without a currency (reported on its own column) the amount cannot be read: nothing is made of the row anyway.
            if (get(column) is not { } text || currency.IsDefault)
            {
                return currency.IsDefault ? default : Money.Zero(currency);
            }
            var parsed = Money.TryParse(text, currency);
            if (!parsed.Success || parsed.Value.IsNegative)
            {
                Bad(column, parsed.Success ? "must not be negative" : $"must be an amount in {currency.Code}: {parsed.Error}");
                return Money.Zero(currency);
            }
            return parsed.Value;
        }

        int Int(string column, int fallback)
        {
            if (get(column) is not { } text)
            {
                return fallback;
            }
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }
            Bad(column, "must be a whole number");
            return fallback;
        }
    }

    // A cell an export escaped against formula injection ("'+27 82…"): the value without the escape, so a file
    // exported here imports as it was.
    private static string Unescaped(string value) =>
        value.Length > 1 && value[0] == '\'' && value[1] is '=' or '+' or '-' or '@' ? value[1..] : value;

    private static string Normal(string header) => header.Trim().ToLowerInvariant().Replace(' ', '_').Replace('-', '_');
}
