using NodaTime;

namespace Prepay.Server;

/// <summary>What the CLI (or a test) tells the server beyond configuration files and environment variables.</summary>
public sealed record ServerSettings
{
    public string[] Args { get; init; } = [];

    /// <summary>Addresses to listen on, e.g. <c>http://127.0.0.1:5080</c>. Default: <c>http://127.0.0.1:5080</c>.</summary>
    public string? Urls { get; init; }

    /// <summary>Data directory for the SQLite database; overrides <c>Storage:DataDirectory</c>.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>An extra JSON configuration file, read after appsettings.json and before environment variables.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Configuration values that win over everything else (tests, the demo).</summary>
    public IReadOnlyDictionary<string, string?> Overrides { get; init; } = new Dictionary<string, string?>();

    /// <summary>The clock; the system clock unless a test injects a fake one.</summary>
    public IClock? Clock { get; init; }
}
