namespace Prepay.HeadEnd.Dlms;

/// <summary>
/// Reads an attribute's value where it lies, as its encoded Data (tag first), for
/// <see cref="DlmsMeterSession.GetEncodedAsync{T}"/>; the bytes are valid only during the call.
/// </summary>
public delegate DlmsOutcome<T> EncodedValueReader<T>(ReadOnlySpan<byte> data);
