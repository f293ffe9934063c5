namespace Prepay.Dlms;

/// <summary>
/// The one exception every reader of this library throws on bytes that do not follow the standard: a length that runs
/// past the end, an unknown tag, a bad checksum. Callers catch this type alone; anything else escaping a reader is a bug.
/// </summary>
public sealed class DlmsFormatException : Exception
{
    public DlmsFormatException(string message) : base(message) { }

    public DlmsFormatException(string message, Exception inner) : base(message, inner) { }

    public DlmsFormatException() : base("Malformed DLMS data.") { }
}
