namespace Prepay.Meter.Commands;

/// <summary>Why a command was refused.</summary>
public enum CommandRejection
{
    /// <summary>A field is out of range (negative amount, negative threshold).</summary>
    Invalid,

    /// <summary>Protected customers are never disconnected.</summary>
    ProtectedCustomer,

    /// <summary>Connect with credit at or below zero outside friendly hours.</summary>
    InsufficientCredit,

    /// <summary>Connect while a tamper alarm is latched.</summary>
    TamperLatched,

    /// <summary>A newer command of the same kind (higher id) was already applied; applying this one would undo it.</summary>
    Superseded,

    /// <summary>The id is below what the bounded id memory still covers; it may have been applied, so it is not.</summary>
    Stale,
}
