using Prepay.HeadEnd.Mqtt;
using Prepay.Testing;

namespace Prepay.HeadEnd.Tests;

/// <summary>What <c>prepay mqtt mosquitto-config</c> writes, read as files.</summary>
public sealed class MosquittoConfigTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_files_hold_hashed_passwords_only_and_the_acl_confines_each_meter_to_its_own_topics()
    {
        MosquittoBroker.SkipUnlessAvailable();
        var dir = Path.Combine(Path.GetTempPath(), "prepay-mosquitto-config", Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var credentials = new MeterCredentials("config-test-secret");
            var files = await MosquittoConfig.WriteAsync(dir, new MosquittoListeners(18830, 18831), credentials, new MqttOptions(), ["04000000017", "04000000025"], MosquittoConfig.FindMosquittoPasswd()!, Ct);

            var passwords = await File.ReadAllLinesAsync(files.PasswordFile, Ct);
            Assert.Equal(["prepay-headend", "04000000017", "04000000025"], passwords.Select(l => l.Split(':')[0]));
            Assert.All(passwords, l => Assert.StartsWith("$7$", l.Split(':', 2)[1], StringComparison.Ordinal));
            var all = string.Join('\n', passwords);
            Assert.DoesNotContain(credentials.PasswordFor("04000000017"), all, StringComparison.Ordinal);
            Assert.DoesNotContain(credentials.ServicePassword, all, StringComparison.Ordinal);

            var acl = await File.ReadAllLinesAsync(files.AclFile, Ct);
            Assert.Contains("pattern write prepay/v1/meters/%u/readings", acl);
            Assert.Contains("pattern read prepay/v1/meters/%u/commands", acl);
            Assert.DoesNotContain(acl, l => l.StartsWith("pattern", StringComparison.Ordinal) && !l.Contains("/%u/", StringComparison.Ordinal));
            var conf = await File.ReadAllTextAsync(files.Config, Ct);
            Assert.Contains("listener 18830 127.0.0.1\nuse_username_as_clientid true", conf, StringComparison.Ordinal);
            Assert.Contains("listener 18831 127.0.0.1", conf, StringComparison.Ordinal);
            Assert.Contains("max_queued_messages 200000", conf, StringComparison.Ordinal);
            Assert.Contains("max_packet_size 66560", conf, StringComparison.Ordinal);
            Assert.Contains("allow_anonymous false", conf, StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(files.PasswordFile));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_meter_number_that_cannot_be_a_mosquitto_user_is_refused()
    {
        MosquittoBroker.SkipUnlessAvailable();
        var dir = Path.Combine(Path.GetTempPath(), "prepay-mosquitto-config", Guid.NewGuid().ToString("N")[..12]);
        await Assert.ThrowsAsync<ArgumentException>(() => MosquittoConfig.WriteAsync(dir, new MosquittoListeners(18830, 18831), new MeterCredentials("s"), new MqttOptions(),
            ["0400:1"], MosquittoConfig.FindMosquittoPasswd()!, Ct));
        Assert.False(File.Exists(Path.Combine(dir, MosquittoConfig.PasswordFileName)));
    }
}
