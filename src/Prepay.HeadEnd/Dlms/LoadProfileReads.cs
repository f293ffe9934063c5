using NodaTime;
using Prepay.Dlms;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem;
using Prepay.Dlms.Cosem.Classes;
using Prepay.Domain.Energy;
using Prepay.Domain.Metering;

namespace Prepay.HeadEnd.Dlms;

/// <summary>One row of a load profile: the capture time and the active import register then, in Wh.</summary>
public sealed record IntervalReading(Instant End, Energy ActiveImport);

/// <summary>The rows a meter returned for a range, oldest first as the profile keeps them.</summary>
public sealed record LoadProfileReading(MeterNumber Meter, Instant From, Instant To, IReadOnlyList<IntervalReading> Intervals);

/// <summary>
/// Reading the load profile 1.0.99.1.0.255 (profile generic, class 7): capture_objects (attribute 3) to find the
/// clock column and the energy column, that register's scaler_unit, then the buffer (attribute 2) by range
/// (Blue Book §4.3.6, selective access 1: range_descriptor on the clock column, only those two columns).
/// </summary>
public static class LoadProfileReads
{
    public static ObisCode LoadProfile { get; } = new(1, 0, 99, 1, 0, 255);

    private const ushort ProfileClass = 7;
    private const ushort ClockClass = 8;
    private const byte ByRange = 1;

    public static async Task<DlmsOutcome<LoadProfileReading>> ReadLoadProfileAsync(this DlmsMeterSession session, Instant from, Instant to,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (to < from)
        {
            throw new ArgumentException("The range ends before it starts.", nameof(to));
        }
        var objects = await session.GetAsync(new CosemAttributeDescriptor(ProfileClass, LoadProfile, 3), null, cancellationToken).ConfigureAwait(false);
        if (objects is not DlmsOutcome<DlmsValue>.Succeeded { Value: DlmsArray columns })
        {
            return objects.IsSuccess
                ? DlmsOutcome.Reject<LoadProfileReading>(DlmsProblem.MalformedAnswer, "capture_objects is not an array.")
                : objects.Failure<LoadProfileReading>();
        }
        var captured = columns.Items.Select(CaptureObject.FromValue).ToList();
        var clock = captured.FirstOrDefault(c => c is { ClassId: ClockClass, AttributeId: 2 });
        var energy = captured.FirstOrDefault(c => c is { AttributeId: 2 } && c.Value.LogicalName == EnergyRegisterReads.ActiveEnergyImport);
        if (clock is not { } clockColumn || energy is not { } energyColumn)
        {
            return DlmsOutcome.Reject<LoadProfileReading>(DlmsProblem.UnusableValue, "The load profile captures no clock or no active import register.");
        }
        var scaler = await session.ReadScalerUnitAsync(energyColumn.ClassId, energyColumn.LogicalName, cancellationToken).ConfigureAwait(false);
        if (scaler is not DlmsOutcome<ScalerUnit>.Succeeded { Value: var scalerUnit })
        {
            return scaler.Failure<LoadProfileReading>();
        }
        var range = CosemValues.Structure(
            clockColumn.ToValue(),
            CosemValues.DateTime(CosemDateTime.From(from.WithOffset(Offset.Zero))),
            CosemValues.DateTime(CosemDateTime.From(to.WithOffset(Offset.Zero))),
            CosemValues.Array([clockColumn.ToValue(), energyColumn.ToValue()]));
        // The buffer is walked row by row where it lies (a day of 15-minute entries decoded as a tree is about 480 objects).
        return await session.GetEncodedAsync(new CosemAttributeDescriptor(ProfileClass, LoadProfile, 2), new SelectiveAccess(ByRange, range),
                data => Rows(session.Meter, from, to, data, scalerUnit), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// The rows of the encoded buffer, each {capture time, energy} as the range asked for; the same readings and
    /// refusals as decoding the buffer into a tree would give for the same bytes. The energy cell of the usual
    /// unsigned types is read in place; any other goes through the tree decoder and <see cref="EnergyScaling"/>.
    /// </summary>
    internal static DlmsOutcome<LoadProfileReading> Rows(MeterNumber meter, Instant from, Instant to, ReadOnlySpan<byte> buffer, ScalerUnit scalerUnit)
    {
        if (buffer.IsEmpty || buffer[0] != (byte)DataTag.Array)
        {
            return DlmsOutcome.Reject<LoadProfileReading>(DlmsProblem.MalformedAnswer, "The profile buffer is not an array.");
        }
        try
        {
            var rows = new ProfileRowReader(buffer);
            var intervals = new List<IntervalReading>(rows.RowCount);
            while (rows.MoveNextRow())
            {
                if (rows.CellsLeft != 2 || rows.ReadInstant() is not { } end)
                {
                    return DlmsOutcome.Reject<LoadProfileReading>(DlmsProblem.MalformedAnswer, "A profile row is not {capture time, energy}.");
                }
                var energy = rows.PeekTag() is DataTag.Unsigned or DataTag.LongUnsigned or DataTag.DoubleLongUnsigned && rows.ReadUnsigned() is { } raw
                    ? EnergyScaling.ToEnergy((long)raw, scalerUnit)
                    : EnergyScaling.ToEnergy(rows.ReadValue(), scalerUnit);
                if (energy is not DlmsOutcome<Energy>.Succeeded { Value: var wattHours })
                {
                    return energy.Failure<LoadProfileReading>();
                }
                intervals.Add(new IntervalReading(end, wattHours));
            }
            return DlmsOutcome.Success(new LoadProfileReading(meter, from, to, intervals));
        }
        catch (DlmsFormatException e)
        {
            return DlmsOutcome.Reject<LoadProfileReading>(DlmsProblem.MalformedAnswer, $"The profile buffer is malformed: {e.Message}");
        }
    }
}
