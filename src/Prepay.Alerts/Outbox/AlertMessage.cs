using NodaTime;

namespace Prepay.Alerts.Outbox;

/// <summary>
/// One thing to tell a customer, before it is addressed: <see cref="Text"/> for people, <see cref="Data"/> for the
/// JSON webhooks post. <see cref="Cause"/> names what caused it (a stored event, a vend) and makes the dedup keys.
/// </summary>
public sealed record AlertMessage(string Kind, string Cause, Guid CustomerId, string Subject, string Text, Instant OccurredAt, IReadOnlyDictionary<string, object?> Data);
