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
}
