using Microsoft.EntityFrameworkCore;

namespace Prepay.Storage;

/// <summary>
/// Claiming an idempotency key inside a write transaction: the (scope, key) primary key lets one request through;
/// a racing twin waits for it to commit and then finds the claim taken. One statement for every money-moving call.
/// </summary>
public static class IdempotencyClaimStore
{
    /// <summary>True when this request now owns the key; false when another request claimed it first.</summary>
    public static async Task<bool> TryClaimAsync(PrepayDb db, Guid scope, string key, string requestHash, Guid resultId, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO idempotency_claims (scope_id, key, request_hash, result_id) VALUES ({scope}, {key}, {requestHash}, {resultId}) ON CONFLICT DO NOTHING", ct) > 0;
}
