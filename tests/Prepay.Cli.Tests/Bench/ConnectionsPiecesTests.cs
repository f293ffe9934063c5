using Prepay.Cli.Bench;

namespace Prepay.Cli.Tests.Bench;

public class ConnectionsPiecesTests
{
    [Theory]
    [InlineData(0, 30, 60, "--meters")]
    [InlineData(25_001, 30, 60, "--meters")]
    [InlineData(100, 0, 60, "--hold")]
    [InlineData(100, 601, 60, "--hold")]
    [InlineData(100, 30, 0, "--heartbeat")]
    public void Settings_out_of_range_are_refused_naming_the_option(int meters, int holdSeconds, int heartbeatSeconds, string option)
    {
        var s = new ConnectionsSettings { Meters = meters, Hold = TimeSpan.FromSeconds(holdSeconds), Heartbeat = TimeSpan.FromSeconds(heartbeatSeconds) };

        Assert.StartsWith(option, s.Problem(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_ten_thousand_meters_held_thirty_seconds()
    {
        var s = new ConnectionsSettings();

        Assert.Null(s.Problem());
        Assert.Equal(10_000, s.Meters);
        Assert.Equal(TimeSpan.FromSeconds(30), s.Hold);
        Assert.Equal(100, s.CommandSample);
        Assert.Equal(10_000 + OpenFileLimit.Headroom, s.FilesNeeded);
    }

    [Theory]
    [InlineData(5, 5)]
    [InlineData(200, 10)]
    [InlineData(10_000, 100)]
    [InlineData(25_000, 250)]
    public void One_meter_in_a_hundred_gets_a_command_at_least_ten(int meters, int sample)
    {
        Assert.Equal(sample, new ConnectionsSettings { Meters = meters }.CommandSample);
    }

    [Fact]
    public void The_hard_limit_covers_both_sides_connecting_and_the_hold()
    {
        var s = new ConnectionsSettings { Meters = 10_000, Hold = TimeSpan.FromSeconds(30) };

        Assert.Equal(TimeSpan.FromSeconds(160), s.ConnectLimit);
        Assert.True(s.HardLimit > s.ConnectLimit * 2 + s.Hold);
    }

    [Fact]
    public void The_sample_is_spread_over_all_meters_without_repeats()
    {
        var sample = ConnectionsMath.Sample(10_000, 100);

        Assert.Equal(100, sample.Count);
        Assert.Equal(100, sample.Distinct().Count());
        Assert.Equal(0, sample[0]);
        Assert.Equal(9_900, sample[^1]);
        Assert.All(sample.Zip(sample.Skip(1)), pair => Assert.Equal(100, pair.Second - pair.First));
    }

    [Fact]
    public void A_sample_larger_than_the_fleet_is_the_whole_fleet()
    {
        Assert.Equal([0, 1, 2], ConnectionsMath.Sample(3, 10));
    }

    [Fact]
    public void Memory_per_connection_is_the_growth_shared_out()
    {
        Assert.Equal(2048, ConnectionsMath.PerConnection(10_000_000, 10_000_000 + 2048 * 500, 500));
        Assert.Null(ConnectionsMath.PerConnection(null, 5, 1));
        Assert.Null(ConnectionsMath.PerConnection(1, 5, 0));
    }

    [Fact]
    public void Too_few_open_files_is_one_line_naming_the_limit_and_what_needs_it()
    {
        var problem = OpenFileLimit.Problem(11_024, 4_096, 4_096, "--meters 10000");

        Assert.NotNull(problem);
        Assert.DoesNotContain('\n', problem);
        Assert.Contains("--meters 10000", problem, StringComparison.Ordinal);
        Assert.Contains("4096", problem, StringComparison.Ordinal);
        Assert.Contains("11024", problem, StringComparison.Ordinal);
        Assert.Null(OpenFileLimit.Problem(11_024, 20_000, 20_000, "--meters 10000"));
    }

    [Fact]
    public void The_open_file_limit_is_read_on_linux()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "RLIMIT_NOFILE is read on Linux only");

        var limits = OpenFileLimit.Read();

        Assert.NotNull(limits);
        Assert.True(limits.Value.Soft > 0 && limits.Value.Soft <= limits.Value.Hard);
    }

    [Fact]
    public void A_peer_line_is_its_kind_and_its_message()
    {
        var status = new PeerStatus(10, 20, 1, 3, 3, 0, "meter 9 refused") { CommandArrivals = 5, LastCommandAt = 123_456, HeartbeatAckMs = [1.5, 9, 12] };

        var line = PeerProtocol.Line(PeerProtocol.Status, status);

        Assert.True(PeerProtocol.TryRead(line, out var kind, out var json));
        Assert.Equal(PeerProtocol.Status, kind);
        var back = PeerProtocol.Parse<PeerStatus>(json);
        Assert.Equal(status with { HeartbeatAckMs = back.HeartbeatAckMs }, back);
        Assert.Equal([1.5, 9, 12], back.HeartbeatAckMs!);
        Assert.True(PeerProtocol.TryRead(PeerProtocol.Line(PeerProtocol.Listening, 40123), out var k, out var port));
        Assert.Equal((PeerProtocol.Listening, 40123), (k, PeerProtocol.Parse<int>(port)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("stop")]
    [InlineData("ready ")]
    [InlineData("Unhandled exception. System.Exception: boom")]
    public void Other_output_of_a_peer_is_not_a_peer_line(string? line)
    {
        Assert.False(PeerProtocol.TryRead(line, out _, out _));
    }

    [Fact]
    public void A_resident_memory_line_of_proc_is_read_in_kilobytes()
    {
        Assert.Equal(123_456, ProcessMemory.ParseKilobytes("   123456 kB"));
    }

    [Fact]
    public void This_process_has_resident_memory_on_linux()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "read from /proc");

        Assert.True(ProcessMemory.OwnResidentBytes() > 1024 * 1024);
    }
}
