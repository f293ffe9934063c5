using Prepay.Domain.Metering;

namespace Prepay.HeadEnd.Dlms;

/// <summary>
/// Where a meter's DLMS secrets come from: configuration or the key store, never code. Asked once per session, so
/// a rotated key is used from the next association on.
/// </summary>
public interface IDlmsKeyProvider
{
    /// <summary>The keys for <paramref name="meter"/>, or null when none are known.</summary>
    DlmsMeterKeys? KeysFor(MeterNumber meter);
}
