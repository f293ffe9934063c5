namespace Prepay.Ledger.Accounts;

/// <summary>What an account holds. The kind decides whether its balance may go below zero.</summary>
public enum AccountKind
{
    /// <summary>Money a customer has with us and not yet spent on energy (the remainder below a meter's resolution).</summary>
    CustomerCredit,

    /// <summary>What a customer owes (arrears); negative while owed, recovered from purchases towards zero.</summary>
    CustomerDebt,

    /// <summary>A vendor's prepaid float. Never below zero: a vendor cannot sell what it has not paid for.</summary>
    VendorFloat,

    /// <summary>Commission earned by a vendor.</summary>
    VendorCommission,

    /// <summary>Revenue from energy sold.</summary>
    EnergyRevenue,

    /// <summary>Revenue from fixed (service, capacity) charges.</summary>
    FixedChargeRevenue,

    /// <summary>Tax collected for one tax authority line (VAT, a levy).</summary>
    Tax,

    /// <summary>The cost of commissions paid to vendors.</summary>
    CommissionExpense,

    /// <summary>The subsidy that pays for free basic electricity.</summary>
    FreeEnergy,

    /// <summary>Money entering or leaving the system: float deposits, debts loaded, refunds paid out.</summary>
    External,

    /// <summary>Debt given up on: the loss a write-off records, approved by two people.</summary>
    DebtWriteOff,

    /// <summary>
    /// Money owed back to payers whose online payments were refunded, per provider: credited when a refund is
    /// approved, emptied towards <see cref="External"/> when the provider says it paid. A balance here is refunds
    /// approved and not (yet, or ever) paid out.
    /// </summary>
    RefundsOwed,

    /// <summary>
    /// Money held centrally for one meter under central credit: top-ups in, consumption priced at the meter's tariff
    /// out. Unlike <see cref="CustomerCredit"/> it may fall below zero, by the energy used before a disconnection.
    /// </summary>
    MeterCentralCredit,
}
