using NodaTime;
using Prepay.Storage;
using Prepay.Tariffs.Documents;
using Prepay.Tariffs.Quotes;
using Prepay.Tariffs.Rates;

namespace Prepay.Vending.Debts;

/// <summary>
/// The most of a top-up that may go to debt for a meter's customer at an instant: the customer's disconnection
/// policy's limit, which <c>Prepay.Disconnections</c> knows and registers. Null: no limit beyond the tariff's share.
/// </summary>
public interface ITopUpDebtCap
{
    Task<Percentage?> ForMeterAsync(PrepayDb db, Guid meterId, Instant at, CancellationToken ct);
}

public static class TopUpDebtCaps
{
    /// <summary>
    /// The context with the meter's cap, asked only when it can matter (the tariff recovers debt and some is owed), so
    /// a sale without debt costs no extra read.
    /// </summary>
    public static async Task<PurchaseContext> ApplyAsync(ITopUpDebtCap? caps, PrepayDb db, TariffDocument tariff, PurchaseContext context, Guid meterId, Instant at, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tariff);
        ArgumentNullException.ThrowIfNull(context);
        if (caps is null || tariff.DebtRecovery is null || !context.DebtOutstanding.IsPositive)
        {
            return context;
        }
        return context with { DebtCap = await caps.ForMeterAsync(db, meterId, at, ct) };
    }
}
