namespace Prepay.MeterLink.Commands;

/// <summary>
/// What the head-end asks of a meter, whatever carries it: each transport maps these to its own messages (MQTT v1's
/// JSON commands, DLMS/COSEM methods and attributes) and the command queue stores them. A closed set: one sealed
/// record per command, in this folder.
/// </summary>
public abstract record MeterCommand
{
    private protected MeterCommand()
    {
    }
}
