using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using Prepay.Domain.Metering;
using Prepay.Storage;
using Prepay.Storage.Records;

namespace Prepay.Vending.Tokens;

/// <summary>
/// Management tokens for operators (IEC 62055-41 class 2: power limit, clear credit, clear tamper...). One database
/// transaction: lock the meter and reserve the token identifier exactly as a vend does, make the token, write the
/// audit record with the operator's reason.
/// </summary>
public sealed class ManagementTokenService(IServiceScopeFactory scopes, IClock clock, ITokenGenerator tokens, TokenReservations tokenIds)
{
    private const int MaxAttempts = 5;
    public const int MaxReasonLength = 500;

    public async Task<TokenOutcome> IssueAsync(string meterNumber, ManagementTokenInput input, Actor actor, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ManagementTokenKinds.TryParse(input.Kind, out var kind))
        {
            errors["kind"] = [$"must be one of {string.Join(", ", ManagementTokenKinds.Names)}"];
        }
        ushort value = 0;
        if (input.Value is { } v)
        {
            if (v is < 0 or > ushort.MaxValue)
            {
                errors["value"] = ["must be 0 to 65535"];
            }
            else
            {
                value = (ushort)v;
            }
        }
        else if (errors.Count == 0)
        {
            if (kind.DefaultValue() is { } d)
            {
                value = d;
            }
            else
            {
                errors["value"] = [$"is required for {kind.Name()}"];
            }
        }
        if (Reasons.Check(input.Reason) is { } reasonError)
        {
            errors["reason"] = [reasonError];
        }
        if (errors.Count > 0)
        {
            return new TokenOutcome.Invalid(errors);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                return await IssueOnceAsync(scope.ServiceProvider.GetRequiredService<PrepayDb>(), meterNumber, kind, value, input.Reason!.Trim(), actor, ct);
            }
            catch (Exception e) when (WriteTransactions.IsTransient(e) && attempt < MaxAttempts)
            {
                // A PostgreSQL deadlock or serialisation failure rolled everything back: run it again as it was.
            }
        }
    }

    private async Task<TokenOutcome> IssueOnceAsync(PrepayDb db, string meterNumber, ManagementTokenKind kind, ushort value, string reason, Actor actor, CancellationToken ct)
    {
        var meter = await db.Meters.AsNoTracking().FirstOrDefaultAsync(m => m.MeterNumber == meterNumber, ct);
        if (meter is null)
        {
            return new TokenOutcome.NotFound($"No meter '{meterNumber}'.");
        }
        if (meter.Mode != MeterMode.Token)
        {
            return new TokenOutcome.Unprocessable("not-a-token-meter", $"Meter '{meterNumber}' is a {meter.Mode.ToString().ToLowerInvariant()} meter; it takes no tokens.");
        }
        if (tokens.CannotIssueFor(meter) is { } noToken)
        {
            return new TokenOutcome.Unprocessable("no-token", noToken);
        }

        var now = clock.GetCurrentInstant();
        await using var tx = await db.BeginWriteAsync(ct);
        var reserved = await tokenIds.ReserveAsync(db, meter.Id, now, actor.AuditName, ct);
        var token = tokens.ManagementToken(reserved.Meter, reserved.TokenId, kind, value);
        db.Audit.Add(new AuditRecord
        {
            At = now,
            Actor = actor.AuditName,
            Action = "meter.token",
            Target = $"meter/{meterNumber}",
            Details = $"{kind.Name()} value={value} tokenId={reserved.TokenId}: {reason}",
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new TokenOutcome.Issued(new ManagementTokenIssued(meterNumber, kind.Name(), value, token, reserved.TokenId,
            InstantPattern.ExtendedIso.Format(now), reserved.KeyChangeTokens));
    }
}

/// <summary>Every operator token names why it was issued.</summary>
internal static class Reasons
{
    public static string? Check(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? "is required: say why this token is issued"
        : reason.Length > ManagementTokenService.MaxReasonLength ? $"must be at most {ManagementTokenService.MaxReasonLength} characters"
        : null;
}
