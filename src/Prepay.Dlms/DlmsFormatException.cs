namespace Prepay.Dlms;

/// <summary>
/// The one exception every reader of this library throws on bytes that do not follow the standard: a length that runs
/// past the end, an unknown tag, a bad checksum. Callers catch this type alone; anything else escaping a reader is a bug.
/// </summary>
public class DlmsFormatException : Exception
{
    public DlmsFormatException(string message) : base(message) { }

    public DlmsFormatException(string message, Exception inner) : base(message, inner) { }

    public DlmsFormatException() : base("Malformed DLMS data.") { }
}

/// <summary>
/// A ciphered APDU whose authentication tag does not match its content: tampered, replayed with other keys, or
/// sent by someone without the keys. A protocol error like any other, kept apart so that callers can count it.
/// </summary>
public sealed class DlmsAuthenticationException : DlmsFormatException
{
    public DlmsAuthenticationException(string message) : base(message) { }

    public DlmsAuthenticationException(string message, Exception inner) : base(message, inner) { }

    public DlmsAuthenticationException() : base("The authentication tag does not match.") { }
}
