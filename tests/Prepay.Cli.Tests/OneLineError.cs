namespace Prepay.Cli.Tests;

/// <summary>What the CLI promises for bad input: exit code 2, nothing on stdout, one plain line on stderr.</summary>
internal static class OneLineError
{
    public static void Check(int exitCode, string stdout, string stderr)
    {
        Assert.True(exitCode == 2, $"exit code {exitCode}, stderr: {stderr}");
        Assert.Equal("", stdout);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        var line = Assert.Single(lines);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"^\s*at \S+\(", line);
    }
}
