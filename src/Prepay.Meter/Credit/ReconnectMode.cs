namespace Prepay.Meter.Credit;

/// <summary>How the meter reconnects once credit is back above zero.</summary>
public enum ReconnectMode
{
    /// <summary>At once.</summary>
    Automatic,

    /// <summary>When the customer presses the button (so nothing starts unattended).</summary>
    AfterButtonPress,
}
