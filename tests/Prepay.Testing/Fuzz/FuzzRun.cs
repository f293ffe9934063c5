using System.Globalization;

namespace Prepay.Testing.Fuzz;

/// <summary>
/// Which inputs a fuzz test tries: case <c>i</c> draws everything from <c>new Random(Seed + i)</c>, so a run is the
/// same on every machine and one case replays alone as seed <c>Seed + i</c>, count 1. A fixed seed and a small count
/// by default keep the test suite's time; <c>PREPAY_FUZZ_SEED</c> and <c>PREPAY_FUZZ_COUNT</c> replay or extend it.
/// </summary>
public sealed record FuzzRun(int Seed, int Count)
{
    public const int DefaultSeed = 20261203;

    public const string SeedVariable = "PREPAY_FUZZ_SEED";
    public const string CountVariable = "PREPAY_FUZZ_COUNT";

    /// <summary>The run the environment asks for, or the default seed with <paramref name="defaultCount"/> cases.</summary>
    public static FuzzRun FromEnvironment(int defaultCount) => new(
        int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : DefaultSeed,
        int.TryParse(Environment.GetEnvironmentVariable(CountVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count > 0 ? count : defaultCount);

    public int CaseSeed(int i) => unchecked(Seed + i);

    public Random CaseRandom(int i) => new(CaseSeed(i));

    /// <summary>The command that runs case <paramref name="i"/> alone again.</summary>
    public string ReplayCommand(int i, string project, string testClass) =>
        $"{SeedVariable}={CaseSeed(i)} {CountVariable}=1 dotnet test --project {project} -- --filter-class \"*{testClass}*\"";

    /// <summary>The command that runs this whole run again.</summary>
    public string ReplayCommand(string project, string testClass) =>
        $"{SeedVariable}={Seed} {CountVariable}={Count} dotnet test --project {project} -- --filter-class \"*{testClass}*\"";
}
