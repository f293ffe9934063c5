using Prepay.Storage;
using Prepay.Testing;

namespace Prepay.Server.Tests.Http;

/// <summary>A SQLite server that lets each key make 2 requests a second with bursts of 3, so limits are reached quickly.</summary>
public sealed class LowRateLimitServer : ServerFixture
{
    public const int PermitsPerSecond = 2;
    public const int Burst = 3;

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["RateLimit:PermitsPerSecond"] = PermitsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimit:Burst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
