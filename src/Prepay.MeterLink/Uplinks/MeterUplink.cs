namespace Prepay.MeterLink.Uplinks;

/// <summary>
/// What a meter sends, whatever carried it: each transport parses its own messages (MQTT v1 JSON, DLMS data
/// notifications and GET responses) into these, and the head-end's ingestion takes them from there. A closed set: one
/// sealed record per kind, in this folder.
/// </summary>
public abstract record MeterUplink
{
    private protected MeterUplink()
    {
    }
}
