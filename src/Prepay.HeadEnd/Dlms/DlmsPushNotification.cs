using NodaTime;
using Prepay.Dlms;
using Prepay.Dlms.Axdr;
using Prepay.Domain.Metering;

namespace Prepay.HeadEnd.Dlms;

/// <summary>
/// A Data-Notification a meter pushed (Green Book, xDLMS DataNotification): who sent it (the meter, known from the
/// system title of a ciphered push; null for a plain one, whose body must say), when the meter stamped it and the
/// values of its push_object_list in order.
/// </summary>
public sealed record DlmsPushNotification(MeterNumber? Meter, Octets? SystemTitle, bool Ciphered, uint LongInvokeIdAndPriority, Instant? Stamped,
    IReadOnlyList<DlmsValue> Values);

/// <summary>A meter allowed to push ciphered notifications, and its keys.</summary>
public sealed record DlmsPushSender(MeterNumber Meter, DlmsMeterKeys Keys);

/// <summary>Why a pushed frame was dropped.</summary>
public enum DlmsPushRefusal
{
    /// <summary>Not a Data-Notification, plain or general-glo-ciphered, or not parsable.</summary>
    Malformed,

    /// <summary>A ciphered push from a system title no meter is registered under.</summary>
    UnknownSender,

    /// <summary>The authentication tag did not match the sender's keys.</summary>
    AuthenticationFailed,

    /// <summary>The invocation counter was not above the last accepted from that sender: a replay.</summary>
    Replayed,

    /// <summary>A plain push while <see cref="DlmsPushListenerOptions.AcceptPlain"/> is off.</summary>
    PlainRefused,
}
