using System.CommandLine;
using System.CommandLine.Invocation;
using NodaTime;
using NodaTime.Text;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.Tariffs.Documents;
using Prepay.Tariffs.Quotes;

namespace Prepay.Cli.Tariffs;

/// <summary>
/// <c>prepay tariff quote --tariff FILE --amount 100.00 [--at INSTANT] [--month-kwh N] [--resolution-wh N] [--json]</c>
/// and <c>prepay tariff check --tariff FILE</c>. Bad input gives one line on stderr and exit code 2.
/// </summary>
public static class TariffCommands
{
    public const int Ok = 0;
    public const int BadInput = 2;

    /// <summary>The <c>tariff</c> command; without <c>--at</c> a quote is for the current instant.</summary>
    public static Command Create() =>
#pragma warning disable RS0030 // The CLI is a composition root: the only place the real clock is chosen.
        Create(SystemClock.Instance);
#pragma warning restore RS0030

    public static Command Create(IClock clock)
    {
        var tariff = new Option<string?>("--tariff") { Description = "Tariff document (JSON file)" };
        var amount = new Option<string?>("--amount") { Description = "Amount paid in the tariff's currency, e.g. 100.00" };
        var at = new Option<string?>("--at") { Description = "Purchase instant, ISO-8601 UTC, e.g. 2026-07-15T10:00:00Z (default: now)" };
        var monthKwh = new Option<string?>("--month-kwh") { Description = "kWh already bought this month (default 0)" };
        var resolution = new Option<string?>("--resolution-wh") { Description = "Meter resolution in Wh: 100 for STS tokens (default), 1 for smart meters" };
        var json = new Option<bool>("--json") { Description = "Print the quote as JSON" };

        var quote = new Command("quote", "Show how a purchase is split into taxes, charges, debt and energy") { tariff, amount, at, monthKwh, resolution, json };
        quote.Action = new OneLineErrors(r => Quote(
            new QuoteRequest(r.GetValue(tariff), r.GetValue(amount), r.GetValue(at), r.GetValue(monthKwh), r.GetValue(resolution), r.GetValue(json)),
            clock, Console.Out, Console.Error));

        var checkTariff = new Option<string?>("--tariff") { Description = "Tariff document (JSON file)" };
        var check = new Command("check", "Validate a tariff document") { checkTariff };
        check.Action = new OneLineErrors(r => Check(r.GetValue(checkTariff), Console.Out, Console.Error));

        return new Command("tariff", "Tariff documents and purchase quotes") { quote, check };
    }

    /// <summary>The raw option values of <c>tariff quote</c>, checked by <see cref="Quote"/>.</summary>
    public sealed record QuoteRequest(string? TariffPath, string? Amount, string? At, string? MonthKwh, string? ResolutionWh, bool Json);

    public static int Quote(QuoteRequest request, IClock clock, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            var tariff = Load(request.TariffPath);
            if (string.IsNullOrWhiteSpace(request.Amount))
            {
                return Fail(error, "--amount is required, e.g. --amount 100.00");
            }
            var amount = Money.TryParse(request.Amount, tariff.Currency);
            if (!amount.Success || amount.Value.IsNegative)
            {
                return Fail(error, $"--amount '{request.Amount}' {(amount.Success ? "must not be negative" : amount.Error)}");
            }
            var instant = clock.GetCurrentInstant();
            if (request.At is { } atText)
            {
                var parsed = InstantPattern.ExtendedIso.Parse(atText);
                if (!parsed.Success)
                {
                    return Fail(error, $"--at '{atText}' must be an ISO-8601 UTC instant such as 2026-07-15T10:00:00Z");
                }
                instant = parsed.Value;
            }
            if (!tariff.IsEffectiveAt(instant))
            {
                return Fail(error, $"tariff {tariff.Code} v{tariff.Version} applies from {LocalDatePattern.Iso.Format(tariff.EffectiveFrom)}, not at {InstantPattern.General.Format(instant)}");
            }
            if (!TryWhole(request.MonthKwh, 0, 10_000_000, out var kwh))
            {
                return Fail(error, $"--month-kwh '{request.MonthKwh}' must be a whole number of kWh from 0");
            }
            if (!TryWhole(request.ResolutionWh, PurchaseContext.StsResolutionWh, 1_000_000, out var resolution) || resolution < 1)
            {
                return Fail(error, $"--resolution-wh '{request.ResolutionWh}' must be a whole number of Wh from 1");
            }
            var context = PurchaseContext.Fresh(tariff.Currency, resolution) with { EnergyBoughtThisMonth = Energy.FromKilowattHours(kwh) };
            var quote = TariffEngine.Quote(tariff, amount.Value, instant, context);
            output.Write(request.Json ? QuoteReport.Json(quote) + "\n" : QuoteReport.Table(quote));
            return Ok;
        }
        catch (InputException e)
        {
            return Fail(error, e.Message);
        }
    }

    public static int Check(string? tariffPath, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            var tariff = Load(tariffPath);
            output.WriteLine($"{tariff.Code} v{tariff.Version} ({tariff.Name}) is valid: {tariff.Currency.Code}, {tariff.TimeZone.Id}, from {LocalDatePattern.Iso.Format(tariff.EffectiveFrom)}");
            return Ok;
        }
        catch (InputException e)
        {
            return Fail(error, e.Message);
        }
    }

    private static TariffDocument Load(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InputException("--tariff is required: the path of a tariff document (JSON)");
        }
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InputException($"--tariff '{path}' cannot be read: {e.Message}");
        }
        try
        {
            return TariffDocumentJson.Parse(json);
        }
        catch (TariffFormatException e)
        {
            throw new InputException($"{path}: {e.Message}");
        }
    }

    private static bool TryWhole(string? text, long fallback, long max, out long value)
    {
        value = fallback;
        if (text is null)
        {
            return true;
        }
        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value) && value <= max;
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine("error: " + message.ReplaceLineEndings(" "));
        return BadInput;
    }

    private sealed class InputException(string message) : Exception(message);

    /// <summary>
    /// Runs the command even when parsing failed, so that an unknown option or a missing value is reported the same
    /// way as any other bad input: one line on stderr, exit code 2.
    /// </summary>
    private sealed class OneLineErrors(Func<ParseResult, int> run) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult) =>
            parseResult.Errors.Count > 0 ? Fail(Console.Error, parseResult.Errors[0].Message)
            : parseResult.UnmatchedTokens.Count > 0 ? Fail(Console.Error, $"unknown argument '{parseResult.UnmatchedTokens[0]}'")
            : run(parseResult);
    }
}
