using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;

namespace Prepay.HeadEnd.Ingest;

/// <summary>
/// Per-meter allowances of messages and events a minute (<see cref="MeterLimitOptions"/>), one fixed window per meter.
/// Beyond them a message is refused before it is parsed or written, counted as <c>rate-limited</c> (or
/// <c>rate-limited-events</c>) beside the other refusals (<c>payload_rejections</c>, which operators read), and logged
/// once a window per meter, not once a message: a flooding meter must neither fill the log nor the database, nor
/// reach the alerts that would turn its events into paid SMS. Everything here is in memory and answers at once, so
/// refusing a flood costs the meters behind it next to nothing.
/// </summary>
public sealed class MeterRateLimits : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly MeterLimitOptions _options;
    private readonly RejectionCounter _rejections;
    private readonly ILogger<MeterRateLimits> _logger;
    private readonly PartitionedRateLimiter<string> _messages;
    private readonly PartitionedRateLimiter<string> _events;
    // One log line per meter per window, by the same kind of limiter.
    private readonly PartitionedRateLimiter<string> _logLines;

    public MeterRateLimits(MeterLimitOptions options, RejectionCounter rejections, ILogger<MeterRateLimits> logger)
    {
        _options = options;
        _rejections = rejections;
        _logger = logger;
        _messages = PerMeter(options.MessagesPerMinute);
        _events = PerMeter(options.EventsPerMinute);
        _logLines = PerMeter(1);
    }

    private static PartitionedRateLimiter<string> PerMeter(int perMinute) =>
        PartitionedRateLimiter.Create<string, string>(meter => RateLimitPartition.GetFixedWindowLimiter(meter, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = Window,
            QueueLimit = 0, // refuse, never wait: a waiting message would hold up the meters behind it
            AutoReplenishment = true,
        }), StringComparer.Ordinal);

    /// <summary>Takes one message from the meter's allowance; false (counted, logged once a window) when it is spent.</summary>
    public bool AdmitMessage(string meterNumber)
    {
        using var lease = _messages.AttemptAcquire(meterNumber);
        if (lease.IsAcquired)
        {
            return true;
        }
        Refused(meterNumber, "rate-limited", $"{_options.MessagesPerMinute} messages");
        return false;
    }

    /// <summary>Takes <paramref name="count"/> events from the meter's allowance, all or none.</summary>
    public bool AdmitEvents(string meterNumber, int count)
    {
        if (count <= _options.EventsPerMinute)
        {
            using var lease = _events.AttemptAcquire(meterNumber, count);
            if (lease.IsAcquired)
            {
                return true;
            }
        }
        Refused(meterNumber, "rate-limited-events", $"{_options.EventsPerMinute} events");
        return false;
    }

    private void Refused(string meterNumber, string reason, string allowance)
    {
        _rejections.Count(meterNumber, reason);
        using var line = _logLines.AttemptAcquire(meterNumber + "\n" + reason);
        if (line.IsAcquired)
        {
            _logger.LogWarning("Meter {Meter} sent more than {Allowance} a minute; what it sends beyond that this minute is refused and counted as {Reason}",
                meterNumber, allowance, reason);
        }
    }

    public void Dispose()
    {
        _messages.Dispose();
        _events.Dispose();
        _logLines.Dispose();
    }
}
