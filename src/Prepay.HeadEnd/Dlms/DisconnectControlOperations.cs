using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem;
using Prepay.Dlms.Cosem.Classes;

namespace Prepay.HeadEnd.Dlms;

/// <summary>What the disconnect control reports: output_state (true = supply connected) and control_state.</summary>
public sealed record SupplyControl(bool OutputConnected, ControlState State);

/// <summary>
/// Disconnect control 0.0.96.3.10.255 (class 70, Blue Book §4.5.8): methods 1 remote_disconnect and 2
/// remote_reconnect (data integer 0), each followed by reading attributes 2 and 3, so the outcome is what the
/// meter says it did (a remote_reconnect may leave it ready_for_reconnection, waiting for the customer's button).
/// </summary>
public static class DisconnectControlOperations
{
    private const ushort DisconnectClass = 70;

    public static Task<DlmsOutcome<SupplyControl>> DisconnectAsync(this DlmsMeterSession session, CancellationToken cancellationToken = default) =>
        OperateAsync(session, 1, cancellationToken);

    public static Task<DlmsOutcome<SupplyControl>> ReconnectAsync(this DlmsMeterSession session, CancellationToken cancellationToken = default) =>
        OperateAsync(session, 2, cancellationToken);

    public static async Task<DlmsOutcome<SupplyControl>> ReadSupplyControlAsync(this DlmsMeterSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var output = await session.GetAsync(Attribute(2), null, cancellationToken).ConfigureAwait(false);
        if (output is not DlmsOutcome<DlmsValue>.Succeeded { Value: var outputValue })
        {
            return output.Failure<SupplyControl>();
        }
        var state = await session.GetAsync(Attribute(3), null, cancellationToken).ConfigureAwait(false);
        return state.Map(stateValue => (outputValue, stateValue) switch
        {
            (DlmsBoolean connected, DlmsEnum { Value: <= 2 } control) => DlmsOutcome.Success(new SupplyControl(connected.Value, (ControlState)control.Value)),
            _ => DlmsOutcome.Reject<SupplyControl>(DlmsProblem.MalformedAnswer, "output_state is not a boolean or control_state not 0..2."),
        });
    }

    private static async Task<DlmsOutcome<SupplyControl>> OperateAsync(DlmsMeterSession session, sbyte method, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var done = await session.InvokeAsync(new CosemMethodDescriptor(DisconnectClass, DisconnectControl.StandardName, method), new Integer(0), cancellationToken)
            .ConfigureAwait(false);
        if (!done.IsSuccess)
        {
            return done.Failure<SupplyControl>();
        }
        return await session.ReadSupplyControlAsync(cancellationToken).ConfigureAwait(false);
    }

    private static CosemAttributeDescriptor Attribute(sbyte id) => new(DisconnectClass, DisconnectControl.StandardName, id);
}
