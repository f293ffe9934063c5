using CsCheck;
using Prepay.Domain.Money;
using Prepay.Ledger.Accounts;
using Prepay.Ledger.Transactions;

namespace Prepay.Ledger.Tests.Transactions;

/// <summary>Random accounts, moves and transactions. Owners come from a small pool so accounts repeat.</summary>
internal static class LedgerGenerators
{
    private static readonly Guid[] Owners = [.. Enumerable.Range(1, 4).Select(i => new Guid(i, 0, 0, new byte[8]))];

    public static readonly Gen<Currency> Currency =
        Gen.OneOf(Domain.Money.Currency.ZAR, Domain.Money.Currency.USD, Domain.Money.Currency.FromCode("UGX"), Domain.Money.Currency.FromCode("KWD"));

    public static Gen<AccountCode> Account(string currency) =>
        from owner in Gen.OneOf(Owners)
        from kind in Gen.Int[0, 9]
        select kind switch
        {
            0 => AccountCode.CustomerCredit(owner, currency),
            1 => AccountCode.CustomerDebt(owner, currency),
            2 => AccountCode.VendorFloat(owner, currency),
            3 => AccountCode.VendorCommission(owner, currency),
            4 => AccountCode.EnergyRevenue(currency),
            5 => AccountCode.FixedChargeRevenue(currency),
            6 => AccountCode.Tax(owner == Owners[0] ? "VAT" : "Levy", currency),
            7 => AccountCode.CommissionExpense(currency),
            8 => AccountCode.FreeEnergy(currency),
            _ => AccountCode.External(currency),
        };

    /// <summary>A move between two different accounts of one currency; the amount may be zero.</summary>
    public static readonly Gen<(AccountCode From, AccountCode To, Money Amount)> Move =
        from currency in Currency
        from source in Account(currency.Code)
        from target in Account(currency.Code).Where(a => a.Value != source.Value)
        from minor in Gen.Frequency((1, Gen.Const(0L)), (6, Gen.Long[1, 1_000_000_000_000]))
        select (source, target, new Money(minor, currency));

    public static readonly Gen<(AccountCode From, AccountCode To, Money Amount)> PositiveMove =
        Move.Where(m => m.Amount.IsPositive);

    public static readonly Gen<TransactionKind> Kind = Gen.Enum<TransactionKind>();

    public static readonly Gen<LedgerTransaction> Transaction =
        from id in Gen.Guid
        from kind in Kind
        from moves in PositiveMove.List[1, 8]
        select Build(id, kind, moves);

    public static LedgerTransaction Build(Guid id, TransactionKind kind, IEnumerable<(AccountCode From, AccountCode To, Money Amount)> moves)
    {
        var builder = new LedgerTransaction.Builder(id, kind, "generated");
        foreach (var (from, to, amount) in moves)
        {
            builder.Move(from, to, amount);
        }
        return builder.Build();
    }

    /// <summary>The currency of every account the transaction touches, read from its postings.</summary>
    public static Dictionary<string, string> CurrencyOfAccounts(LedgerTransaction t)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in t.Postings)
        {
            map[p.From.Value] = p.From.Currency;
            map[p.To.Value] = p.To.Currency;
        }
        return map;
    }
}
