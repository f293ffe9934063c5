namespace Prepay.HeadEnd.Dlms;

/// <summary>
/// Why a DLMS operation did not succeed, named so that a command queue can record it: the refusals mean "this will
/// not work as asked" (do not retry), the faults mean "this time it did not work" (retry later).
/// </summary>
public enum DlmsProblem
{
    /// <summary>The AARE refused the association (a wrong password or key fails here: Green Book, diagnostic 13).</summary>
    AssociationRefused,

    /// <summary>An HLS answer or a ciphered APDU did not authenticate: the meter does not hold our keys.</summary>
    AuthenticationFailed,

    /// <summary>No keys are configured for the meter and its mechanism needs them.</summary>
    NoKeys,

    /// <summary>A GET or SET answered with a Data-Access-Result other than success.</summary>
    AccessRefused,

    /// <summary>An ACTION answered with an Action-Result other than success.</summary>
    ActionRefused,

    /// <summary>The meter answered with an ExceptionResponse (service not allowed, deciphering error, …).</summary>
    ServiceRefused,

    /// <summary>The token gateway received the token and its processor did not execute it (Blue Book token_status).</summary>
    TokenRejected,

    /// <summary>A value the head-end refuses to convert, e.g. a scaler that would need rounding or another unit.</summary>
    UnusableValue,

    /// <summary>An answer that does not parse, or not the answer the request calls for.</summary>
    MalformedAnswer,

    /// <summary>The meter did not answer in time.</summary>
    Timeout,

    /// <summary>TCP could not connect, or the connection broke.</summary>
    ConnectionFailed,

    /// <summary>The meter refused our invocation counter as not above its last (it will accept a higher one).</summary>
    CounterRefused,

    /// <summary>An earlier failure left the session's stream in an unknown state; open a new session.</summary>
    SessionBroken,
}

/// <summary>
/// The named outcome of one DLMS operation: <see cref="Succeeded"/> with its typed value, <see cref="Rejected"/>
/// (retrying will not help) or <see cref="TransientFailure"/> (retrying may). Protocol-level refusals come back as
/// values, never as exceptions; only the caller's own cancellation throws.
/// </summary>
public abstract record DlmsOutcome<T>
{
    private DlmsOutcome()
    {
    }

    public sealed record Succeeded(T Value) : DlmsOutcome<T>;

    public sealed record Rejected(DlmsProblem Problem, string Reason) : DlmsOutcome<T>;

    public sealed record TransientFailure(DlmsProblem Problem, string Reason) : DlmsOutcome<T>;

    public bool IsSuccess => this is Succeeded;

    /// <summary>
    /// What a record prints: its own fields, never <see cref="ValueOrThrow"/> (printing a failure would throw, and the
    /// failure's message prints the failure: a log line of a failed outcome must not recurse).
    /// </summary>
    protected virtual bool PrintMembers(System.Text.StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append("IsSuccess = ").Append(IsSuccess);
        return true;
    }

    /// <summary>The value when succeeded; throws otherwise (for callers that have already matched, and for tests).</summary>
    public T ValueOrThrow => this is Succeeded s ? s.Value : throw new InvalidOperationException($"The operation did not succeed: {this}.");

    /// <summary>The same failure carried as another outcome type.</summary>
    public DlmsOutcome<TOther> Failure<TOther>() => this switch
    {
        Rejected r => new DlmsOutcome<TOther>.Rejected(r.Problem, r.Reason),
        TransientFailure t => new DlmsOutcome<TOther>.TransientFailure(t.Problem, t.Reason),
        _ => throw new InvalidOperationException("A success is not a failure."),
    };

    /// <summary>Applies <paramref name="map"/> to a success; failures pass through.</summary>
    public DlmsOutcome<TOther> Map<TOther>(Func<T, DlmsOutcome<TOther>> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return this is Succeeded s ? map(s.Value) : Failure<TOther>();
    }
}

/// <summary>Short builders for outcomes.</summary>
public static class DlmsOutcome
{
    public static DlmsOutcome<T> Success<T>(T value) => new DlmsOutcome<T>.Succeeded(value);

    public static DlmsOutcome<T> Reject<T>(DlmsProblem problem, string reason) => new DlmsOutcome<T>.Rejected(problem, reason);

    public static DlmsOutcome<T> Transient<T>(DlmsProblem problem, string reason) => new DlmsOutcome<T>.TransientFailure(problem, reason);
}
