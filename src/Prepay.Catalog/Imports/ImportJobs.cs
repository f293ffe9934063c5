using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Prepay.Vending;

namespace Prepay.Catalog.Imports;

/// <summary>An import run in the background: its progress while it runs, then its outcome (or the failure that ended it).</summary>
public sealed record ImportJob(Guid Id, bool DryRun, Guid? StartedBy, Instant StartedAt, ImportProgress Progress, ImportOutcome? Outcome, string? Failure)
{
    public bool Finished => Outcome is not null || Failure is not null;
}

/// <summary>
/// Imports started from the console page, each run in the background and looked up by its id while the page polls,
/// so a large file's progress can be shown. Kept in memory on the node that runs them, for an hour: the page that
/// started a job polls the node it posted to (a load balancer without sticky sessions would lose it; the import itself,
/// all or nothing in one transaction, is unaffected). The HTTP API stays synchronous.
/// </summary>
public sealed class ImportJobs(CatalogImport import, IClock clock, IHostApplicationLifetime lifetime, ILogger<ImportJobs> log)
{
    private static readonly Duration Kept = Duration.FromHours(1);

    private readonly ConcurrentDictionary<Guid, Job> _jobs = new();

    public Guid Start(string file, bool dryRun, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.GetCurrentInstant();
        foreach (var old in _jobs.Values.Where(j => j.Finished && now - j.StartedAt > Kept))
        {
            _jobs.TryRemove(old.Id, out _);
        }
        var job = new Job(Guid.NewGuid(), dryRun, actor.AuditId, now);
        _jobs[job.Id] = job;
        _ = Task.Run(() => RunAsync(job, file, actor), CancellationToken.None);
        return job.Id;
    }

    public ImportJob? Find(Guid id) => _jobs.TryGetValue(id, out var job) ? job.Snapshot() : null;

    private async Task RunAsync(Job job, string file, Actor actor)
    {
        try
        {
            job.Outcome = await import.RunAsync(new StringReader(file), job.DryRun, actor, lifetime.ApplicationStopping, job);
        }
        catch (Exception e)
        {
            // Nothing was written (one transaction); the page says so and the log has the rest.
            log.LogError(e, "Catalog import {Job} failed", job.Id);
            job.Failure = lifetime.ApplicationStopping.IsCancellationRequested ? "the server stopped; nothing was written" : "the import failed; nothing was written (see the server's log)";
        }
    }

    // Progress is kept as reported, not posted through a synchronisation context as Progress<T> would: the last report wins.
    private sealed class Job(Guid id, bool dryRun, Guid? startedBy, Instant startedAt) : IProgress<ImportProgress>
    {
        private volatile ImportProgress _progress = ImportProgress.Reading;
        private volatile ImportOutcome? _outcome;
        private volatile string? _failure;

        public Guid Id => id;
        public bool DryRun => dryRun;
        public Instant StartedAt => startedAt;
        public bool Finished => _outcome is not null || _failure is not null;

        public ImportOutcome? Outcome { get => _outcome; set => _outcome = value; }
        public string? Failure { get => _failure; set => _failure = value; }

        public void Report(ImportProgress value) => _progress = value;

        public ImportJob Snapshot()
        {
            // The outcome first: read after it, the progress is its last.
            var (outcome, failure) = (_outcome, _failure);
            return new(id, dryRun, startedBy, startedAt, _progress, outcome, failure);
        }
    }
}
