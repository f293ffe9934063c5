using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Domain.Metering;
using Prepay.Domain.Money;
using Prepay.Server.Auth;
using Prepay.Server.Http;
using Prepay.Storage;
using Prepay.Storage.Queries;
using Prepay.Vending.Pricing;
using Prepay.Vending.Vends;

namespace Prepay.Server.Apis.Catalog;

public sealed record StsInput(int? SupplyGroupCode, int? KeyRevisionNumber, int? TariffIndex, int? KeyType, StsEncryptionAlgorithm? EncryptionAlgorithm, StsBaseDate? BaseDate);

/// <param name="Transport">How the head-end reaches the meter: <c>mqtt</c> (the default) or <c>dlms</c>.</param>
public sealed record MeterInput(string? MeterNumber, MeterMode? Mode, string? Currency, long? ResolutionWh, StsInput? Sts, string? TariffCode, string? Transport = null);

public sealed record TransportInput(string? Transport);

/// <param name="DrnCheckDigitValid">
/// For a meter that takes STS tokens: whether its number's last digit is the decoder reference number's check digit
/// (IEC 62055-41 §6.1.2, Luhn). A meter that fails it is still served (some test and conformance meters do), but a
/// typing error when it was registered fails it too: <c>GET /meters?drnCheck=failed</c> lists them.
/// </param>
/// <param name="Transport">How the head-end reaches it: <c>mqtt</c> or <c>dlms</c>.</param>
/// <param name="Dlms">Where a DLMS meter is reached (set by <c>PUT /meters/{n}/dlms</c>), without keys; shown for one meter.</param>
public sealed record MeterDto(Guid Id, string MeterNumber, MeterMode Mode, string Currency, long ResolutionWh, StsParameters? Sts, string? Site, string? Unit, string? TariffCode,
    string Transport, bool? DrnCheckDigitValid = null, Prepay.HeadEnd.Dlms.DlmsEndpointView? Dlms = null)
{
    public static MeterDto From(Meter m, string? site, string? unit, string? tariff) =>
        new MeterDto(m.Id, m.MeterNumber, m.Mode, m.Currency, m.ResolutionWh, m.IssuesStsTokens ? m.Sts : null, site, unit, tariff, MeterTransports.Name(m.Transport)).WithDrnCheck();

    public MeterDto WithDrnCheck() => Sts is null ? this : this with { DrnCheckDigitValid = Prepay.Sts.Keys.PrimaryAccountNumber.DecoderReferenceCheckDigitIsValid(MeterNumber) };
}

public sealed record InstallationInput(string? Site, string? Unit);

public sealed record TariffAssignmentInput(string? TariffCode, Instant? EffectiveFrom);

public static class MetersApi
{
    public static void MapMetersApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/meters").WithTags("Meters");
        g.MapGet("/", List).RequireAuthorization(Policies.Anyone)
            .WithSummary("Meters, by site if given; drnCheck=failed lists the STS meters whose number fails the decoder reference number's check digit.");
        g.MapGet("/{meterNumber}", Get).RequireAuthorization(Policies.Anyone);
        g.MapPost("/", Create).RequireAuthorization(Policies.Staff).Accepts<MeterInput>("application/json");
        g.MapPut("/{meterNumber}/installation", Install).RequireAuthorization(Policies.Staff).Accepts<InstallationInput>("application/json")
            .WithSummary("Install the meter at a site's unit, ending its previous installation.");
        g.MapPut("/{meterNumber}/transport", ChangeTransport).RequireAuthorization(Policies.Staff).Accepts<TransportInput>("application/json")
            .WithSummary("How the head-end reaches the meter from now on: mqtt or dlms. Its queued commands go by the new transport.");
        g.MapPut("/{meterNumber}/dlms", SetDlmsEndpoint).RequireAuthorization(Policies.Staff).Accepts<Prepay.HeadEnd.Dlms.DlmsEndpointInput>("application/json")
            .WithSummary("Where the head-end reaches a DLMS meter: host, port, client and server address, authentication, the meter's system title. Keys come from configuration, never from here.");
        g.MapPut("/{meterNumber}/tariff", AssignTariff).RequireAuthorization(Policies.Staff).Accepts<TariffAssignmentInput>("application/json")
            .WithSummary("Price the meter with a tariff from an instant on (default now).");
    }

    /// <summary>Meters with where they are installed and their tariff; filters apply to the rows, before projection, so EF Core can translate them.</summary>
    private static IQueryable<MeterDto> Query(PrepayDb db, Instant now, string? meterNumber = null, string? siteCode = null) =>
        from x in MeterPlacements.Current(db)
        let m = x.Meter
        where (meterNumber == null || m.MeterNumber == meterNumber) && (siteCode == null || x.SiteCode == siteCode)
        let tariff = db.TariffAssignments.Where(a => a.MeterId == m.Id && a.EffectiveFrom <= now).OrderByDescending(a => a.EffectiveFrom).Select(a => a.TariffCode).FirstOrDefault()
        orderby m.MeterNumber
        select new MeterDto(m.Id, m.MeterNumber, m.Mode, m.Currency, m.ResolutionWh,
            m.Mode == MeterMode.Token || m.HasStsDecoder ? new StsParameters(m.SupplyGroupCode, m.KeyRevisionNumber, m.TariffIndex, m.KeyType, m.EncryptionAlgorithm, m.BaseDate) : null,
            x.SiteCode, x.UnitLabel, tariff, m.Transport == MeterTransport.Dlms ? "dlms" : "mqtt");

    private static async Task<Results<Ok<List<MeterDto>>, ValidationProblem>> List(PrepayDb db, IClock clock, string? site, int? limit, string? drnCheck, CancellationToken ct)
    {
        var q = Query(db, clock.GetCurrentInstant(), siteCode: string.IsNullOrWhiteSpace(site) ? null : site);
        var take = Math.Clamp(limit ?? 500, 1, 5000);
        switch (drnCheck)
        {
            case null:
                return TypedResults.Ok((await q.Take(take).ToListAsync(ct)).Select(m => m.WithDrnCheck()).ToList());
            case "failed":
                // The check is the Luhn rule, computed here rather than in SQL: every STS meter is read, in pages.
                var failed = new List<MeterDto>();
                await foreach (var m in q.AsAsyncEnumerable().WithCancellation(ct))
                {
                    if (m.WithDrnCheck() is { DrnCheckDigitValid: false } bad && failed.Count < take)
                    {
                        failed.Add(bad);
                    }
                }
                return TypedResults.Ok(failed);
            default:
                return Problems.Invalid("drnCheck", "is 'failed' or left out");
        }
    }

    private static async Task<Results<Ok<MeterDto>, ProblemHttpResult>> Get(string meterNumber, PrepayDb db, IClock clock, CancellationToken ct) =>
        await Query(db, clock.GetCurrentInstant(), meterNumber: meterNumber).FirstOrDefaultAsync(ct) is { } m
            ? TypedResults.Ok(m.WithDrnCheck() with { Dlms = await Prepay.HeadEnd.Dlms.DlmsEndpoints.ViewAsync(db, meterNumber, ct) })
            : Problems.NotFound($"No meter '{meterNumber}'.");

    private static async Task<IResult> SetDlmsEndpoint(string meterNumber, HttpContext http, PrepayDb db, IClock clock, CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<Prepay.HeadEnd.Dlms.DlmsEndpointInput>(http.Request, ct);
        if (error is not null)
        {
            return error;
        }
        var actor = Prepay.Server.Auth.ApiKeyAuthentication.ActorOf(http.User).AuditName;
        return await Prepay.HeadEnd.Dlms.DlmsEndpoints.SetAsync(db, clock, meterNumber, input!, actor, ct) switch
        {
            Prepay.HeadEnd.Dlms.DlmsEndpointOutcome.Saved saved => TypedResults.Ok(new { meterNumber, dlms = saved.Endpoint }),
            Prepay.HeadEnd.Dlms.DlmsEndpointOutcome.Invalid invalid => Problems.Invalid(invalid.Errors),
            _ => Problems.NotFound($"No meter '{meterNumber}'."),
        };
    }

    private static async Task<IResult> Create(HttpContext http, PrepayDb db, IClock clock, TariffCatalog tariffs, CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<MeterInput>(http.Request, ct);
        if (error is not null)
        {
            return error;
        }
        var errors = new Dictionary<string, string[]>();
        if (!MeterNumber.TryParse(input!.MeterNumber, out var number))
        {
            errors["meterNumber"] = [$"must be 1 to {MeterNumber.MaxLength} letters, digits or '-'"];
        }
        if (input.Mode is null)
        {
            errors["mode"] = ["is required: token or smart"];
        }
        if (!Currency.TryFromCode(input.Currency, out var currency))
        {
            errors["currency"] = ["must be a supported ISO 4217 code"];
        }
        var transport = MeterTransport.Mqtt;
        if (input.Transport is not null && !MeterTransports.TryParse(input.Transport, out transport))
        {
            errors["transport"] = [TransportRule];
        }
        var mode = input.Mode ?? MeterMode.Token;
        // A smart meter registered with STS parameters has a keypad decoder too: its credit is sold as tokens,
        // delivered remotely and printed on the receipt for the keypad (see SmartCredit).
        var stsDecoder = mode == MeterMode.Smart && input.Sts is not null;
        var takesTokens = mode == MeterMode.Token || stsDecoder;
        var resolution = input.ResolutionWh ?? (takesTokens ? 100 : 1);
        if (resolution is < 1 or > 10_000)
        {
            errors["resolutionWh"] = ["must be 1 to 10000"];
        }
        else if (takesTokens && resolution % 100 != 0)
        {
            errors["resolutionWh"] = ["must be a multiple of 100 for a meter that takes STS tokens (0.1 kWh units, IEC 62055-41)"];
        }
        var s = input.Sts;
        var sts = new StsParameters(
            s?.SupplyGroupCode ?? StsParameters.Default.SupplyGroupCode, s?.KeyRevisionNumber ?? StsParameters.Default.KeyRevisionNumber,
            s?.TariffIndex ?? StsParameters.Default.TariffIndex, s?.KeyType ?? StsParameters.Default.KeyType,
            s?.EncryptionAlgorithm ?? StsParameters.Default.EncryptionAlgorithm, s?.BaseDate ?? StsParameters.Default.BaseDate);
        if (sts.Validate() is { } stsError)
        {
            errors["sts"] = [stsError];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var now = clock.GetCurrentInstant();
        if (input.TariffCode is { } code && await tariffs.EffectiveAsync(db, code, now, ct) is null)
        {
            return Problems.Invalid("tariffCode", $"no tariff '{code}' in effect");
        }
        if (await db.Meters.AnyAsync(m => m.MeterNumber == number.Value, ct))
        {
            return Problems.Conflict("duplicate", $"Meter '{number}' exists.");
        }
        var meter = new Meter
        {
            Id = Guid.CreateVersion7(now.ToDateTimeOffset()),
            MeterNumber = number.Value,
            Mode = mode,
            HasStsDecoder = stsDecoder,
            Transport = transport,
            Currency = currency.Code,
            ResolutionWh = resolution,
            SupplyGroupCode = sts.SupplyGroupCode,
            KeyRevisionNumber = sts.KeyRevisionNumber,
            TariffIndex = sts.TariffIndex,
            KeyType = sts.KeyType,
            EncryptionAlgorithm = sts.EncryptionAlgorithm,
            BaseDate = sts.BaseDate,
            CreatedAt = now,
        };
        db.Meters.Add(meter);
        if (input.TariffCode is { } tariffCode)
        {
            db.TariffAssignments.Add(new Domain.Metering.TariffAssignment { Id = Guid.CreateVersion7(now.ToDateTimeOffset()), MeterId = meter.Id, TariffCode = tariffCode, EffectiveFrom = now });
        }
        Audit.Record(db, http, clock, "meter.create", $"meter/{meter.MeterNumber}", $"{mode}{(stsDecoder ? " with STS decoder" : "")} {currency.Code} tariff={input.TariffCode} transport={MeterTransports.Name(transport)}");
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/meters/{meter.MeterNumber}", MeterDto.From(meter, null, null, input.TariffCode));
    }

    private static async Task<IResult> Install(string meterNumber, HttpContext http, PrepayDb db, IClock clock, CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<InstallationInput>(http.Request, ct);
        if (error is not null)
        {
            return error;
        }
        var meter = await db.Meters.AsNoTracking().FirstOrDefaultAsync(m => m.MeterNumber == meterNumber, ct);
        if (meter is null)
        {
            return Problems.NotFound($"No meter '{meterNumber}'.");
        }
        var premises = await (from p in db.Premises join s in db.Sites on p.SiteId equals s.Id where s.Code == input!.Site && p.Label == input.Unit select p).FirstOrDefaultAsync(ct);
        if (premises is null)
        {
            return Problems.Invalid("unit", $"no unit '{input!.Unit}' at site '{input.Site}'");
        }
        var now = clock.GetCurrentInstant();
        var open = await db.MeterInstallations.Where(i => i.RemovedAt == null && (i.MeterId == meter.Id || i.PremisesId == premises.Id)).ToListAsync(ct);
        if (open.Any(i => i.PremisesId == premises.Id && i.MeterId != meter.Id))
        {
            return Problems.Conflict("premises-occupied", $"Unit '{input!.Unit}' at '{input.Site}' has another meter; remove it first.");
        }
        if (open.Any(i => i.MeterId == meter.Id && i.PremisesId == premises.Id))
        {
            return TypedResults.Ok(new { meterNumber, site = input!.Site, unit = input.Unit });
        }
        foreach (var i in open)
        {
            i.RemovedAt = now;
        }
        // Two statements: the unique "one open installation per meter" index must see the old row closed first.
        await db.SaveChangesAsync(ct);
        db.MeterInstallations.Add(new MeterInstallation { Id = Guid.CreateVersion7(now.ToDateTimeOffset()), MeterId = meter.Id, PremisesId = premises.Id, InstalledAt = now });
        Audit.Record(db, http, clock, "meter.install", $"meter/{meterNumber}", $"{input!.Site}/{input.Unit}");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new { meterNumber, site = input.Site, unit = input.Unit });
    }

    private const string TransportRule = "must be mqtt or dlms";

    private static async Task<IResult> ChangeTransport(string meterNumber, HttpContext http, PrepayDb db, IClock clock, CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<TransportInput>(http.Request, ct);
        if (error is not null)
        {
            return error;
        }
        if (!MeterTransports.TryParse(input!.Transport, out var transport))
        {
            return Problems.Invalid("transport", TransportRule);
        }
        var meter = await db.Meters.FirstOrDefaultAsync(m => m.MeterNumber == meterNumber, ct);
        if (meter is null)
        {
            return Problems.NotFound($"No meter '{meterNumber}'.");
        }
        if (meter.Transport != transport)
        {
            var from = meter.Transport;
            meter.Transport = transport;
            Audit.Record(db, http, clock, "meter.transport", $"meter/{meterNumber}", $"{MeterTransports.Name(from)} -> {MeterTransports.Name(transport)}");
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.Ok(new { meterNumber, transport = MeterTransports.Name(transport) });
    }

    private static async Task<IResult> AssignTariff(string meterNumber, HttpContext http, PrepayDb db, IClock clock, TariffCatalog tariffs, CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<TariffAssignmentInput>(http.Request, ct);
        if (error is not null)
        {
            return error;
        }
        var meter = await db.Meters.AsNoTracking().FirstOrDefaultAsync(m => m.MeterNumber == meterNumber, ct);
        if (meter is null)
        {
            return Problems.NotFound($"No meter '{meterNumber}'.");
        }
        var from = input!.EffectiveFrom ?? clock.GetCurrentInstant();
        if (string.IsNullOrWhiteSpace(input.TariffCode) || await tariffs.EffectiveAsync(db, input.TariffCode, from, ct) is not { } tariff)
        {
            return Problems.Invalid("tariffCode", $"no tariff '{input.TariffCode}' in effect at {from}");
        }
        if (tariff.Currency.Code != meter.Currency)
        {
            return Problems.Unprocessable("currency-mismatch", $"Tariff '{tariff.Code}' is in {tariff.Currency}, meter '{meterNumber}' in {meter.Currency}.");
        }
        db.TariffAssignments.Add(new Domain.Metering.TariffAssignment { Id = Guid.CreateVersion7(clock.GetCurrentInstant().ToDateTimeOffset()), MeterId = meter.Id, TariffCode = tariff.Code, EffectiveFrom = from });
        Audit.Record(db, http, clock, "meter.tariff", $"meter/{meterNumber}", $"{tariff.Code} from {from}");
        await db.SaveChangesAsync(ct);
        tariffs.ForgetMeter(meter.Id);
        return TypedResults.Ok(new { meterNumber, tariffCode = tariff.Code, effectiveFrom = from });
    }
}
