using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prepay.Storage;

namespace Prepay.Vending.Vends;

/// <summary>
/// Group commit for vends. Every sale moves the same few accounts (the vendor's float, revenue, tax), and on
/// PostgreSQL their balances move at COMMIT: written one transaction each, concurrent vends queue on those rows at
/// every commit. Here the vends waiting at one moment are written together, one after another in one transaction, and
/// committed once: one queue at the hot rows per batch instead of per vend.
/// <para>
/// Nothing is weaker. Each vend runs in a savepoint of its own: one refused (its key already claimed, its energy not
/// representable, on SQLite its float short) or failing is undone alone and the others go on. A float too short for
/// one vend of a PostgreSQL batch refuses the batch's commit; then nothing was written and each vend is written again
/// in a transaction of its own (<see cref="VendWrite.Alone"/>), where the float refuses that one alone. No answer leaves
/// before the commit: a vend is made only once its batch is committed, and when the commit fails otherwise every vend
/// of the batch gets the failure (a deadlock or serialisation failure is retried by its caller as before; anything
/// else is an error, and the client retries with its key). Idempotency is the same claim under the same meter lock:
/// a second request with a key already claimed in the batch finds the claim and replays the first's answer once
/// committed.
/// </para>
/// <para>
/// <see cref="VendingOptions.GroupCommitWriters"/> writers, each with a batch at a time of whatever is waiting when it is free (at most
/// <see cref="VendingOptions.GroupCommitMaxVends"/>), so a lone vend goes at once and a burst shares its commits. The
/// writers start with the first vend and stop with the server.
/// </para>
/// </summary>
public sealed class VendBatches(IServiceScopeFactory scopes, VendingOptions options, ILogger<VendBatches> logger) : IAsyncDisposable
{
    private const string Savepoint = "vend";

    // Not SingleReader: that kind keeps no count, and Waiting reads it.
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _startLock = new();
    private Task[]? _writers;

    /// <summary>Whether vends are batched at all (<see cref="VendingOptions.GroupCommitMaxVends"/> above 1).</summary>
    public bool Enabled => options.GroupCommitMaxVends > 1;

    private int _writing;
    private long _committed;

    /// <summary>Vends waiting for the writer.</summary>
    public int Waiting => _queue.Reader.Count;

    /// <summary>Vends in the batch being written now.</summary>
    public int Writing => Volatile.Read(ref _writing);


    /// <summary>Batches committed since the server started.</summary>
    public long BatchesCommitted => Interlocked.Read(ref _committed);

    private sealed record Pending(Func<PrepayDb, CancellationToken, Task<VendWrite>> Write, VendOutcome InsufficientFloat, ExecutionContext? Context,
        TaskCompletionSource<VendWrite> Done);

    /// <summary>
    /// Writes one vend in the next batch and completes once that batch is committed (or has failed). The vend runs on
    /// the batch's context and under the writer's token: a caller that stops waiting does not undo a vend of others.
    /// </summary>
    internal async Task<VendWrite> WriteAsync(Func<PrepayDb, CancellationToken, Task<VendWrite>> write, VendOutcome insufficientFloat, CancellationToken ct)
    {
        EnsureWriter();
        var pending = new Pending(write, insufficientFloat, ExecutionContext.Capture(), new TaskCompletionSource<VendWrite>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new OperationCanceledException("The server is stopping; the vend was not written.");
        }
        return await pending.Done.Task.WaitAsync(ct);
    }

    private void EnsureWriter()
    {
        if (_writers is not null)
        {
            return;
        }
        lock (_startLock)
        {
            // The writer serves every request: it must not carry the first one's context (its trace, its scopes).
            using (ExecutionContext.SuppressFlow())
            {
                _writers ??= [.. Enumerable.Range(0, options.GroupCommitWriters).Select(_ => Task.Run(() => RunAsync(_stop.Token)))];
            }
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var batch = new List<Pending>(options.GroupCommitMaxVends);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stop))
            {
                batch.Clear();
                while (batch.Count < options.GroupCommitMaxVends && _queue.Reader.TryRead(out var next))
                {
                    batch.Add(next);
                }
                Interlocked.Add(ref _writing, batch.Count);
                try
                {
                    await WriteBatchAsync(batch, stop);
                }
                finally
                {
                    Interlocked.Add(ref _writing, -batch.Count);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            // Stopping: whatever still waits was never written.
            foreach (var p in batch)
            {
                p.Done.TrySetCanceled(stop);
            }
            while (_queue.Reader.TryRead(out var left))
            {
                left.Done.TrySetCanceled(stop);
            }
        }
    }

    private async Task WriteBatchAsync(List<Pending> batch, CancellationToken stop)
    {
        var results = new VendWrite?[batch.Count];
        var failures = new Exception?[batch.Count];
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            await using var tx = await db.BeginWriteAsync(stop);
            for (var i = 0; i < batch.Count; i++)
            {
                try
                {
                    results[i] = await WriteOneAsync(batch[i], db, tx, stop);
                }
                catch (Exception e) when (e is not OperationCanceledException && e is not UndoFailedException)
                {
                    failures[i] = e; // this vend fails alone, undone by its savepoint
                }
                finally
                {
                    // What one vend added is saved or undone; none of it may ride along with the next one's save.
                    db.ChangeTracker.Clear();
                }
            }
            await tx.CommitAsync(stop);
            Interlocked.Increment(ref _committed);
        }
        catch (Exception e) when (WriteTransactions.IsBelowMinimumBalance(e))
        {
            // On PostgreSQL balances move at COMMIT (the deferred balance trigger), so a float too short for one vend
            // refuses the batch's commit. Nothing was written: each vend is written again in a transaction of its own,
            // where a short float refuses that vend alone. Rare (a float running out), so the slow way is fine.
            for (var i = 0; i < batch.Count; i++)
            {
                failures[i] = null;
                results[i] = VendWrite.Alone.Instance;
            }
        }
        catch (Exception e)
        {
            // Nothing of the batch is committed: no vend of it is made, and no refusal or replay read inside it holds.
            if (e is not OperationCanceledException)
            {
                logger.LogWarning("A batch of {Count} vends was not committed ({Message}); each is answered with the failure", batch.Count, e.Message);
            }
            for (var i = 0; i < batch.Count; i++)
            {
                failures[i] ??= e;
            }
        }
        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                batch[i].Done.TrySetException(failure);
            }
            else
            {
                batch[i].Done.TrySetResult(results[i]!);
            }
        }
    }

    /// <summary>
    /// One vend in its savepoint, run in the execution context of the request that asked for it: its statements belong
    /// to that request's trace (and to whatever else follows the request), not to the writer's or another vend's.
    /// </summary>
    private static async Task<VendWrite> WriteOneAsync(Pending p, PrepayDb db, WriteTransaction tx, CancellationToken stop)
    {
        if (p.Context is { } context)
        {
            // Restored for this async method only: the writer's own context is back when it returns.
            ExecutionContext.Restore(context);
        }
        await tx.SavepointAsync(Savepoint, stop);
        try
        {
            var written = await p.Write(db, stop);
            if (written is VendWrite.Committed)
            {
                await db.SaveChangesAsync(stop);
                await tx.ReleaseSavepointAsync(Savepoint, stop);
            }
            else
            {
                await UndoAsync(tx, stop);
            }
            return written;
        }
        catch (Exception e) when (WriteTransactions.IsBelowMinimumBalance(e))
        {
            await UndoAsync(tx, stop);
            return new VendWrite.Refused(p.InsufficientFloat);
        }
        catch (Exception e) when (e is not OperationCanceledException and not UndoFailedException)
        {
            await UndoAsync(tx, stop);
            throw;
        }
    }

    // An undo that fails leaves the transaction unusable: the whole batch fails, not this vend alone.
    private static async Task UndoAsync(WriteTransaction tx, CancellationToken stop)
    {
        try
        {
            await tx.RollbackToSavepointAsync(Savepoint, stop);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new UndoFailedException(e);
        }
    }

    private sealed class UndoFailedException(Exception inner) : Exception("A vend's savepoint could not be rolled back: " + inner.Message, inner);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        if (_writers is { } writers)
        {
            await Task.WhenAll(writers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        _stop.Dispose();
    }
}
