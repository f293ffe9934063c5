namespace Prepay.Payments.Providers;

/// <summary>The providers this server takes payments through; the pages offer <see cref="Default"/>.</summary>
public sealed class PaymentProviders(IEnumerable<IPaymentProvider> providers)
{
    private readonly IReadOnlyList<IPaymentProvider> _all = providers.ToList();

    /// <summary>The provider checkouts go to, or null when no provider is enabled (the pages then sell nothing online).</summary>
    public IPaymentProvider? Default => _all.Count > 0 ? _all[0] : null;

    public IPaymentProvider? Find(string name) => _all.FirstOrDefault(p => p.Name == name);
}
