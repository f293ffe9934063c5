using NodaTime;
using Prepay.Storage.Records.Metering;

namespace Prepay.HeadEnd.Ingest.Quality;

/// <summary>A reading accepted from a meter and waiting for its batch: the row, whose it is, and when the head-end got it.</summary>
public sealed record PendingReading(string MeterNumber, IntervalReading Row, Instant ReceivedAt);
