namespace Prepay.Meter.Credit;

/// <summary>How emergency credit is taken when credit runs out.</summary>
public enum EmergencyActivation
{
    /// <summary>The meter takes it at zero, before disconnecting.</summary>
    Automatic,

    /// <summary>The meter disconnects at zero; pressing the button takes it and reconnects.</summary>
    ButtonPress,
}
