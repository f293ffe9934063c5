namespace Prepay.Ledger.Transactions;

public enum TransactionKind
{
    Vend,
    Reversal,
    FloatDeposit,
    DebtLoaded,
    FreeBasicElectricity,
    Adjustment,
    DebtWrittenOff,
    Refund,

    /// <summary>Central credit: an interval's consumption priced and taken from the meter's central balance, or its correction.</summary>
    Consumption,

    /// <summary>Central credit: a meter's credit carried into its central balance when it switches to central credit.</summary>
    CreditCarriedIn,

    /// <summary>Central credit: the central balance sold to the meter as credit when it switches back to holding its own.</summary>
    CreditCarriedOut,

    /// <summary>A customer's opening credit and arrears from a system before Prepay, approved by a second person.</summary>
    OpeningBalance,
}
