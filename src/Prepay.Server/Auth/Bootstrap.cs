using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Vending;

namespace Prepay.Server.Auth;

/// <summary>
/// On an empty database, <c>PREPAY_BOOTSTRAP_API_KEY</c> becomes the first admin key, so a new installation can be
/// configured through the API. Ignored once any key exists; the key itself is never logged.
/// </summary>
public static class Bootstrap
{
    public static async Task CreateFirstAdminKeyAsync(PrepayDb db, string? key, IClock clock, ILogger logger, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(key) || await db.ApiKeys.AnyAsync(ct))
        {
            return;
        }
        if (key.Length < ApiKeys.MinimumLength)
        {
            throw new InvalidOperationException($"PREPAY_BOOTSTRAP_API_KEY must be at least {ApiKeys.MinimumLength} characters.");
        }
        db.ApiKeys.Add(new ApiKeyRecord
        {
            Id = Guid.CreateVersion7(clock.GetCurrentInstant().ToDateTimeOffset()),
            Name = "bootstrap-admin",
            Role = nameof(Role.Admin),
            Prefix = ApiKeys.DisplayPrefix(key),
            Hash = ApiKeys.Hash(key),
            CreatedAt = clock.GetCurrentInstant(),
        });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Created the first admin API key from PREPAY_BOOTSTRAP_API_KEY ({Prefix}).", ApiKeys.DisplayPrefix(key));
    }
}
