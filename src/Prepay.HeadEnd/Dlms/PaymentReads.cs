using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem;
using Prepay.Dlms.Cosem.Classes;
using Prepay.Domain.Energy;
using DlmsCredit = Prepay.Dlms.Cosem.Classes.Credit;

namespace Prepay.HeadEnd.Dlms;

/// <summary>
/// The account 0.0.19.0.0.255 (class 111): payment mode (1 credit, 2 prepayment) and status (attribute 2),
/// available_credit (5) and currency { name, scale, unit } (15). <see cref="AvailableEnergy"/> is the credit in Wh
/// when the meter keeps its account in energy ("Wh" or "kWh"), as an STS meter does; null for a money account.
/// </summary>
public sealed record AccountReading(bool Prepayment, AccountStatus Status, long AvailableCredit, string CurrencyName, sbyte CurrencyScale, Energy? AvailableEnergy);

/// <summary>A credit object (class 112): current_credit_amount (2) in the account's currency, credit_type (3), credit_status (8).</summary>
public sealed record CreditReading(long Amount, CreditType Type, byte Status);

/// <summary>Reading account and credit (Blue Book Ed. 12 §4.6.2 and §4.6.3).</summary>
public static class PaymentReads
{
    private const ushort AccountClass = 111;
    private const ushort CreditClass = 112;

    public static async Task<DlmsOutcome<AccountReading>> ReadAccountAsync(this DlmsMeterSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var values = new List<DlmsValue>(3);
        foreach (sbyte attribute in new sbyte[] { 2, 5, 15 })
        {
            var read = await session.GetAsync(new CosemAttributeDescriptor(AccountClass, Account.StandardName, attribute), null, cancellationToken).ConfigureAwait(false);
            if (read is not DlmsOutcome<DlmsValue>.Succeeded { Value: var value })
            {
                return read.Failure<AccountReading>();
            }
            values.Add(value);
        }
        if (values[0] is not DlmsStructure { Fields: [DlmsEnum mode, DlmsEnum status] } || CosemValues.AsInteger(values[1]) is not { } available
            || values[2] is not DlmsStructure { Fields: [var name, Integer scale, _] } || Text(name) is not { } currency)
        {
            return DlmsOutcome.Reject<AccountReading>(DlmsProblem.MalformedAnswer, "The account's mode, available credit or currency has another shape.");
        }
        Energy? energy = currency switch
        {
            "Wh" => EnergyOf(available, scale.Value),
            "kWh" => EnergyOf(available, checked((sbyte)(scale.Value + 3))),
            _ => null,
        };
        return DlmsOutcome.Success(new AccountReading(mode.Value == 2, (AccountStatus)status.Value, available, currency, scale.Value, energy));
    }

    public static async Task<DlmsOutcome<CreditReading>> ReadCreditAsync(this DlmsMeterSession session, Prepay.Dlms.Cosem.ObisCode? credit = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var name = credit ?? DlmsCredit.StandardName;
        var values = new List<DlmsValue>(3);
        foreach (sbyte attribute in new sbyte[] { 2, 3, 8 })
        {
            var read = await session.GetAsync(new CosemAttributeDescriptor(CreditClass, name, attribute), null, cancellationToken).ConfigureAwait(false);
            if (read is not DlmsOutcome<DlmsValue>.Succeeded { Value: var value })
            {
                return read.Failure<CreditReading>();
            }
            values.Add(value);
        }
        return values is [DoubleLong amount, DlmsEnum type, DlmsEnum status]
            ? DlmsOutcome.Success(new CreditReading(amount.Value, (CreditType)type.Value, status.Value))
            : DlmsOutcome.Reject<CreditReading>(DlmsProblem.MalformedAnswer, "The credit's amount, type or status has another type.");
    }

    private static Energy? EnergyOf(long amount, sbyte scale) => EnergyScaling.Scale(amount, scale) is { } wh ? new Energy(wh) : null;

    private static string? Text(DlmsValue value) => value switch
    {
        Utf8String u => u.Value,
        VisibleString v => v.Value,
        OctetString o => System.Text.Encoding.ASCII.GetString(o.Value.Span),
        _ => null,
    };
}
