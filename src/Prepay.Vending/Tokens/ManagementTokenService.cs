using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using Prepay.Domain.Metering;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Metering;
using Prepay.Vending.Postings;

namespace Prepay.Vending.Tokens;

/// <summary>
/// Management tokens for operators (IEC 62055-41 class 2: power limit, clear credit, clear tamper...). One database
/// transaction: claim the request's Idempotency-Key, lock the meter and reserve the token identifier exactly as a vend
/// does, make the token, keep it, and write the audit record with the operator's reason. A retry with the same key
/// and request gets the token made the first time, never a second token (a second clear-credit, say).
/// </summary>
public sealed class ManagementTokenService(IServiceScopeFactory scopes, IClock clock, ITokenGenerator tokens, TokenReservations tokenIds)
{
    private const int MaxAttempts = 5;
    public const int MaxReasonLength = 500;

    public async Task<TokenOutcome> IssueAsync(string meterNumber, ManagementTokenInput input, string? idempotencyKey, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new Dictionary<string, string[]>();
        if (IdempotencyKeys.Problem(idempotencyKey) is { } keyProblem)
        {
            errors["Idempotency-Key"] = [keyProblem];
        }
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
        if (!errors.ContainsKey("value") && !errors.ContainsKey("kind") && kind.IsPowerLimit()
            && !Prepay.Sts.Tokens.TransferAmount.TryFromUnitsExact(value, out _))
        {
            // IEC 62055-41: a power limit's watts are carried in the TransferAmount format (steps of 10 W above 16 383 W).
            var below = Prepay.Sts.Tokens.TransferAmount.FromUnitsRoundingDown(value).Units;
            var above = Prepay.Sts.Tokens.TransferAmount.FromUnitsRoundingUp(value).Units;
            errors["value"] = [$"{value} W has no exact STS power limit: use {below} or {above} W"];
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
                return await IssueOnceAsync(scope.ServiceProvider.GetRequiredService<PrepayDb>(), meterNumber, kind, value, input.Reason!.Trim(), idempotencyKey!, actor, ct);
            }
            catch (Exception e) when (WriteTransactions.IsTransient(e) && attempt < MaxAttempts)
            {
                // A PostgreSQL deadlock or serialisation failure rolled everything back: run it again as it was.
            }
        }
    }

    private async Task<TokenOutcome> IssueOnceAsync(PrepayDb db, string meterNumber, ManagementTokenKind kind, ushort value, string reason, string idempotencyKey,
        Actor actor, CancellationToken ct)
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
        var id = Guid.CreateVersion7(now.ToDateTimeOffset());
        var key = "management-token:" + idempotencyKey;
        var hash = RequestHash(meterNumber, kind, value, reason);
        await using var tx = await db.BeginWriteAsync(ct);
        if (!await IdempotencyClaimStore.TryClaimAsync(db, actor.KeyId, key, hash, id, ct))
        {
            await tx.RollbackAsync(ct);
            var claim = await db.IdempotencyClaims.AsNoTracking().FirstAsync(c => c.ScopeId == actor.KeyId && c.Key == key, ct);
            var made = await db.ManagementTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == claim.ResultId, ct);
            return claim.RequestHash == hash && made is not null ? new TokenOutcome.Issued(Issued(made), Replayed: true) : new TokenOutcome.KeyReused();
        }
        var reserved = await tokenIds.ReserveAsync(db, meter.Id, now, actor.AuditName, ct);
        var token = tokens.ManagementToken(reserved.Meter, reserved.TokenId, kind, value);
        var record = new ManagementTokenRecord
        {
            Id = id, MeterId = meter.Id, MeterNumber = meterNumber, Kind = kind.Name(), Value = value, Token = token, TokenId = reserved.TokenId,
            IssuedAt = now, Actor = actor.AuditName, Reason = reason,
            KeyChangeTokens = reserved.KeyChangeTokens is { Count: > 0 } changes ? string.Join(' ', changes) : null,
        };
        db.ManagementTokens.Add(record);
        db.Audit.Add(new AuditRecord
        {
            At = now,
            Actor = actor.AuditName, ActorId = actor.AuditId,
            Action = "meter.token",
            Target = $"meter/{meterNumber}",
            Details = $"{kind.Name()} value={value} tokenId={reserved.TokenId}: {reason}",
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new TokenOutcome.Issued(Issued(record));
    }

    /// <summary>The management tokens made for a meter, newest first (for showing one again).</summary>
    public static async Task<IReadOnlyList<ManagementTokenIssued>> ListAsync(PrepayDb db, string meterNumber, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.ManagementTokens.AsNoTracking().Where(t => t.MeterNumber == meterNumber)
            .OrderByDescending(t => t.IssuedAt).Take(limit).ToListAsync(ct);
        return rows.Select(Issued).ToList();
    }

    private static ManagementTokenIssued Issued(ManagementTokenRecord t) =>
        new(t.MeterNumber, t.Kind, t.Value, t.Token, t.TokenId, InstantPattern.ExtendedIso.Format(t.IssuedAt),
            t.KeyChangeTokens?.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>What the request means; a retry with the same key must mean the same.</summary>
    private static string RequestHash(string meterNumber, ManagementTokenKind kind, ushort value, string reason) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            string.Join('\u001f', meterNumber, kind.Name(), value.ToString(System.Globalization.CultureInfo.InvariantCulture), reason))));
}

/// <summary>Every operator token names why it was issued.</summary>
internal static class Reasons
{
    public static string? Check(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? "is required: say why this token is issued"
        : reason.Length > ManagementTokenService.MaxReasonLength ? $"must be at most {ManagementTokenService.MaxReasonLength} characters"
        : null;
}
