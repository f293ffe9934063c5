namespace Prepay.Meter.Credit;

/// <summary>
/// The credit register in Wh (negative only when friendly hours or protection let supply continue at zero) and
/// the emergency credit still owed. Emergency credit is added to the register when taken; the next credit
/// repays it first, and it can be taken again once fully repaid.
/// </summary>
internal sealed class CreditAccount(long creditWh, long emergencyOwedWh)
{
    public long CreditWh { get; private set; } = creditWh;

    public long EmergencyOwedWh { get; private set; } = emergencyOwedWh;

    public bool EmergencyAvailable => EmergencyOwedWh == 0;

    public void Consume(long wh) => CreditWh -= wh;

    /// <summary>Adds credit, repaying emergency credit first; returns what reached the register.</summary>
    public long Add(long wh)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(wh);
        long repaid = Math.Min(wh, EmergencyOwedWh);
        EmergencyOwedWh -= repaid;
        CreditWh += wh - repaid;
        return wh - repaid;
    }

    public void TakeEmergency(long wh)
    {
        if (!EmergencyAvailable || wh <= 0)
        {
            throw new InvalidOperationException("Emergency credit is taken once, then repaid before it is offered again.");
        }

        EmergencyOwedWh = wh;
        CreditWh += wh;
    }

    /// <summary>A clear-credit token: the register goes to zero; emergency credit owed is forgiven with it.</summary>
    public void Clear()
    {
        CreditWh = 0;
        EmergencyOwedWh = 0;
    }
}
