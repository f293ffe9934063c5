using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using Prepay.Domain.Metering;
using Prepay.HeadEnd.Ingest;
using Prepay.MeterLink.Commands;
using Prepay.MeterLink.Uplinks;
using Prepay.Storage;
using TokenStatusCode = Prepay.Dlms.Cosem.Classes.TokenStatusCode;

namespace Prepay.HeadEnd.Dlms;

/// <summary>
/// Carries queued commands to DLMS meters (<see cref="MeterTransport.Dlms"/>): each in a session of its own with the
/// meter (<see cref="DlmsFleetPoller.RunOneAsync{T}"/>: one session per meter at a time, whoever asks), at most
/// <see cref="DlmsOptions.MaxConcurrentMeters"/> meters at once, run beside the dispatcher so one slow meter does not
/// hold the others. The meter's answer comes back through ingestion as any transport's does: the state it is left in
/// (status and the events its change means, <see cref="DlmsMeterReader"/>), readings for <see cref="ReadNow"/>, and
/// last the acknowledgement, ingested only once the operation has answered.
/// <para>
/// A transient failure (no connection, a timeout, a broken session) acknowledges nothing: the command stays sent and the
/// queue sends it again after its back-off. So is a session that could not be opened for want of keys or because the
/// meter refused the association: that is the endpoint's or the keys' fault, not the command's, and the command
/// should go once an operator has put it right. Only a refusal of the operation itself fails the command.
/// </para>
/// <para>
/// Nothing is applied twice on a retry. A command is acknowledged at most once: the queue closes a command only while
/// it is still open and sends a meter its lowest open sequence number alone, so a late answer changes nothing; and a
/// command still running here is not started again (<c>_running</c>). What a retry repeats is harmless by the meter's
/// own rules: a token entered again is refused by its STS decoder as used (IEC 62055-41, the TID memory) and read
/// back as <c>token-used</c>, which closes the command as done, so credit lands once even if the first answer was
/// lost after the meter executed it; connect and disconnect leave the relay where they found it; readings are keyed
/// by meter and instant.
/// </para>
/// </summary>
public sealed class DlmsMeterTransport(
    DlmsFleetPoller poller,
    DlmsMeterReader reader,
    MeterMessageHandler ingestion,
    IServiceScopeFactory scopes,
    DlmsOptions options,
    IClock clock,
    ILogger<DlmsMeterTransport> logger) : IMeterTransport, IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, Task> _running = new();
    private readonly SemaphoreSlim _slots = new(options.MaxConcurrentMeters, options.MaxConcurrentMeters);
    private readonly CancellationTokenSource _stopping = new();

    public MeterTransport Transport => MeterTransport.Dlms;

    /// <summary>
    /// What a prepayment DLMS meter with an STS decoder does remotely: tokens through its token gateway, its relay,
    /// a read, its clock. Credit in energy, thresholds and tariffs have no standard object on a keypad meter (its
    /// credit is the tokens), so they fail as unsupported rather than wait for a meter that cannot take them. So does
    /// <see cref="SetCreditPolicy"/>: this head-end writes no object for a DLMS meter's own friendly hours, holidays or
    /// protection, so the policy can gate only the disconnections the head-end sends it.
    /// </summary>
    public bool CanCarry(MeterCommand command) => command is DeliverToken or Connect or Disconnect or ReadNow or SetClock;

    /// <summary>Starts the command's session and returns at once; false when the meter has no endpoint (it waits for one).</summary>
    public async Task<bool> SendAsync(MeterNumber meter, CommandEnvelope envelope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (_running.ContainsKey(envelope.CommandId))
        {
            return true; // still on its way from an earlier send: its outcome will answer for both
        }
        DlmsMeterEndpoint? endpoint;
        await using (var scope = scopes.CreateAsyncScope())
        {
            endpoint = await DlmsEndpoints.EndpointAsync(scope.ServiceProvider.GetRequiredService<PrepayDb>(), meter, ct);
        }
        if (endpoint is null)
        {
            logger.LogWarning("DLMS meter {Meter} has no endpoint (PUT /api/v1/meters/{Meter}/dlms); command {Command} waits", meter.Value, meter.Value, envelope.CommandId);
            return false;
        }
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = _running.GetOrAdd(envelope.CommandId, _ => RunAsync(endpoint, envelope, started.Task));
        started.TrySetResult();
        return true;
    }

    /// <summary>Waits for every command this transport has started (tests, shutdown).</summary>
    public Task IdleAsync() => Task.WhenAll(_running.Values);

    private async Task RunAsync(DlmsMeterEndpoint endpoint, CommandEnvelope envelope, Task started)
    {
        await started.ConfigureAwait(false);
        var stopping = _stopping.Token;
        try
        {
            await _slots.WaitAsync(stopping).ConfigureAwait(false);
            try
            {
                bool operated = false;
                var outcome = await poller.RunOneAsync(endpoint, async (session, ct) =>
                {
                    operated = true;
                    var answer = await OperateAsync(session, envelope.Command, ct).ConfigureAwait(false);
                    if (answer is DlmsOutcome<Answer>.Succeeded { Value: var applied })
                    {
                        await AcknowledgeAsync(endpoint.Meter, envelope, applied.Result, applied.Reason, ct).ConfigureAwait(false);
                    }
                    else if (answer is DlmsOutcome<Answer>.Rejected rejected)
                    {
                        await AcknowledgeAsync(endpoint.Meter, envelope, AcknowledgementResult.Rejected, Reason(rejected.Problem, rejected.Reason), ct).ConfigureAwait(false);
                    }
                    return answer;
                }, stopping).ConfigureAwait(false);
                switch (outcome)
                {
                    case DlmsOutcome<Answer>.TransientFailure t:
                        logger.LogWarning("Command {Command} to DLMS meter {Meter} did not get through ({Problem}: {Reason}); it will be sent again",
                            envelope.CommandId, endpoint.Meter.Value, t.Problem, t.Reason);
                        break;
                    case DlmsOutcome<Answer>.Rejected r when !operated:
                        logger.LogError("No session with DLMS meter {Meter} for command {Command} ({Problem}: {Reason}); it waits until the endpoint or keys are put right",
                            endpoint.Meter.Value, envelope.CommandId, r.Problem, r.Reason);
                        break;
                }
            }
            finally
            {
                _slots.Release();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Command {Command} to DLMS meter {Meter} failed; it will be sent again", envelope.CommandId, endpoint.Meter.Value);
        }
        finally
        {
            _running.TryRemove(envelope.CommandId, out _);
        }
    }

    /// <summary>What the meter did: applied, or refused with the reason an MQTT meter would give.</summary>
    private sealed record Answer(AcknowledgementResult Result, string? Reason);

    private async Task<DlmsOutcome<Answer>> OperateAsync(DlmsMeterSession session, MeterCommand command, CancellationToken ct) => command switch
    {
        DeliverToken tokens => await DeliverAsync(session, tokens, ct),
        Connect => await AfterAsync(session, await session.ReconnectAsync(ct), ct),
        Disconnect => await AfterAsync(session, await session.DisconnectAsync(ct), ct),
        ReadNow => (await reader.ReadAsync(session, ct)).Map(_ => DlmsOutcome.Success(new Answer(AcknowledgementResult.Applied, null))),
        SetClock set => await AfterAsync(session, await session.SetClockAsync(set.At, cancellationToken: ct), ct),
        _ => throw new InvalidOperationException($"{command.GetType().Name} is not carried over DLMS (CanCarry said so)."),
    };

    /// <summary>After an operation that succeeded, the state it left the meter in is read and ingested; the operation's outcome stands either way.</summary>
    private async Task<DlmsOutcome<Answer>> AfterAsync<T>(DlmsMeterSession session, DlmsOutcome<T> done, CancellationToken ct)
    {
        if (!done.IsSuccess)
        {
            return done.Failure<Answer>();
        }
        var state = await reader.RefreshStateAsync(session, ct);
        if (!state.IsSuccess)
        {
            logger.LogWarning("DLMS meter {Meter}: the state after the command was not read ({Outcome}); the next read will", session.Meter.Value, state);
        }
        return DlmsOutcome.Success(new Answer(AcknowledgementResult.Applied, null));
    }

    /// <summary>
    /// The tokens in order through the token gateway, as the MQTT meter enters them: applied when any was executed;
    /// <c>token-used</c> when every one was refused in validation (already used, or too old: the decoder's TID memory);
    /// otherwise rejected with the first refusal (a token the meter cannot authenticate is <c>token-invalid</c>).
    /// </summary>
    private async Task<DlmsOutcome<Answer>> DeliverAsync(DlmsMeterSession session, DeliverToken command, CancellationToken ct)
    {
        int executed = 0;
        string? refusal = null;
        foreach (var token in command.Tokens)
        {
            var entered = await session.DeliverTokenAsync(token, ct);
            switch (entered)
            {
                case DlmsOutcome<TokenStatusCode>.Succeeded:
                    executed++;
                    break;
                case DlmsOutcome<TokenStatusCode>.Rejected { Problem: DlmsProblem.TokenRejected }:
                    var status = await session.ReadTokenStatusAsync(ct);
                    if (status is not DlmsOutcome<TokenStatusCode>.Succeeded { Value: var code })
                    {
                        return status.Failure<Answer>();
                    }
                    if (code == TokenStatusCode.ReceivedNotProcessed)
                    {
                        // Received but not processed (a dark decoder): not refused, not applied; sent again later.
                        return DlmsOutcome.Transient<Answer>(DlmsProblem.TokenRejected, "The meter received the token and has not processed it.");
                    }
                    if (code != TokenStatusCode.ValidationFailure)
                    {
                        refusal ??= code is TokenStatusCode.AuthenticationFailure or TokenStatusCode.FormatFailure
                            ? TokenInvalid
                            : $"token-not-executed: {code}";
                    }
                    break;
                default:
                    return entered.Failure<Answer>();
            }
        }
        if (executed > 0)
        {
            var state = await reader.RefreshStateAsync(session, ct);
            if (!state.IsSuccess)
            {
                logger.LogWarning("DLMS meter {Meter}: the state after the tokens was not read ({Outcome}); the next read will", session.Meter.Value, state);
            }
        }
        return DlmsOutcome.Success(refusal is not null ? new Answer(AcknowledgementResult.Rejected, refusal)
            : executed > 0 ? new Answer(AcknowledgementResult.Applied, null)
            : new Answer(AcknowledgementResult.Rejected, AcknowledgementReasons.TokenUsed));
    }

    /// <summary>A token the meter's decoder could not authenticate or parse (a wrong key or a mistyped token).</summary>
    public const string TokenInvalid = "token-invalid";

    /// <summary>Recorded and committed before it returns (the acknowledgement is written in a batch, <see cref="Handled.Stored"/>).</summary>
    private async Task AcknowledgeAsync(MeterNumber meter, CommandEnvelope envelope, AcknowledgementResult result, string? reason, CancellationToken ct) =>
        await (await ingestion.IngestAsync(meter.Value, new CommandAcknowledgement(envelope.CommandId, result, reason, clock.GetCurrentInstant()), ct)).Stored;

    /// <summary>A refusal as the acknowledgement's reason: the problem in the API's words, then what the meter said.</summary>
    private static string Reason(DlmsProblem problem, string reason)
    {
        var name = string.Concat(problem.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
        var text = $"{name}: {reason}";
        return text.Length > 400 ? text[..400] : text;
    }

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return; // registered under two service types, disposed under both
        }
        await _stopping.CancelAsync();
        try
        {
            await IdleAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
        }
        _stopping.Dispose();
        _slots.Dispose();
    }
}
