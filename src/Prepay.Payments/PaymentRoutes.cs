namespace Prepay.Payments;

/// <summary>The addresses payments use, stated once for the server that maps them and the providers that call them.</summary>
public static class PaymentRoutes
{
    /// <summary>Where a provider posts its server-to-server callbacks (relative to the server's root).</summary>
    public static string Callback(string provider) => $"/api/v1/payments/callbacks/{provider}";
}
