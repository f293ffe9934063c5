using Prepay.Dlms.Cosem;
using Prepay.Dlms.Cosem.Classes;
using Prepay.Domain.Energy;

namespace Prepay.HeadEnd.Dlms;

/// <summary>Reading an energy register (class 3, or 4 extended): scaler_unit (attribute 3), then the value (2), exactly.</summary>
public static class EnergyRegisterReads
{
    /// <summary>Active energy import, total: 1.0.1.8.0.255 (Blue Book OBIS, electricity, C = 1 active import, D = 8 time integral).</summary>
    public static ObisCode ActiveEnergyImport { get; } = new(1, 0, 1, 8, 0, 255);

    public const ushort RegisterClass = 3;

    public static async Task<DlmsOutcome<Energy>> ReadEnergyAsync(this DlmsMeterSession session, ObisCode? register = null,
        ushort classId = RegisterClass, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var name = register ?? ActiveEnergyImport;
        var scaler = await session.ReadScalerUnitAsync(classId, name, cancellationToken).ConfigureAwait(false);
        if (scaler is not DlmsOutcome<ScalerUnit>.Succeeded { Value: var scalerUnit })
        {
            return scaler.Failure<Energy>();
        }
        var value = await session.GetAsync(new CosemAttributeDescriptor(classId, name, 2), null, cancellationToken).ConfigureAwait(false);
        return value.Map(v => EnergyScaling.ToEnergy(v, scalerUnit));
    }

    /// <summary>scaler_unit, attribute 3 of registers and extended registers.</summary>
    public static async Task<DlmsOutcome<ScalerUnit>> ReadScalerUnitAsync(this DlmsMeterSession session, ushort classId, ObisCode register,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var read = await session.GetAsync(new CosemAttributeDescriptor(classId, register, 3), null, cancellationToken).ConfigureAwait(false);
        return read.Map(v => ScalerUnit.FromValue(v) is { } s
            ? DlmsOutcome.Success(s)
            : DlmsOutcome.Reject<ScalerUnit>(DlmsProblem.MalformedAnswer, $"scaler_unit of {register} is not structure {{integer, enum}}."));
    }
}
