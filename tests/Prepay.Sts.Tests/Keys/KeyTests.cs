using Prepay.Sts.Algorithms;
using Prepay.Sts.Keys;
using Prepay.Sts.Tokens;
using Xunit;

namespace Prepay.Sts.Tests.Keys;

public sealed class KeyTests
{
    [Theory]
    [InlineData("600727", "00000000000", 9)] // PAN 600727000000000009 of STS 531-1-0-02 CTSA01
    [InlineData("000001", "00000000008", 2)] // PAN 000001000000000082 of the same
    public void Pan_check_digit_is_luhn_over_iin_and_iain(string iin, string iain, int check)
    {
        Assert.Equal(check, PrimaryAccountNumber.Create(iin, iain).CheckDigit);
    }

    [Fact]
    public void Pan_block_and_control_block_have_the_standards_layout()
    {
        var pan = PrimaryAccountNumber.Create("600727", "12345678901");
        Assert.Equal(0x0072712345678901UL, pan.PanBlock());
        Assert.Equal(0x2123456011FFFFFFUL, KeyDerivationInput.Create(123456, 1, 1, 2, pan).ControlBlock());
    }

    [Fact]
    public void Luhn_rejects_a_changed_digit()
    {
        Assert.True(Luhn.IsValid("79927398713"));
        Assert.False(Luhn.IsValid("79927398714"));
    }

    [Fact]
    public void Vending_key_never_shows_its_bytes()
    {
        var key = VendingKey.ParseHex("0123456789abcdef");
        Assert.DoesNotContain("0123", key.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("abcdef", key.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("e653", DecoderKey.ParseHex("e653341f9d5bf36f").ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Vending_key_loads_from_a_key_store_file_and_the_environment()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "# test store\nother = 0000000000000001\nsts = abababababababab\n");
            var fromFile = VendingKeyLoader.FromKeyStoreFile(path, "sts");
            var fromEnv = VendingKeyLoader.FromEnvironment("STS_VK", name => name == "STS_VK" ? "abababababababab" : null);
            var pan = PrimaryAccountNumber.Create("600727", "00000000000");
            var input = KeyDerivationInput.Create(123456, 1, 1, 2, pan);
            using var a = new Dkga02(fromFile);
            using var b = new Dkga02(fromEnv);
            Assert.Equal("e653341f9d5bf36f", a.Derive(input).ToHex());
            Assert.Equal(a.Derive(input), b.Derive(input));
            Assert.Throws<KeyNotFoundException>(() => VendingKeyLoader.FromKeyStoreFile(path, "missing"));
            Assert.Throws<KeyNotFoundException>(() => VendingKeyLoader.FromEnvironment("UNSET", _ => null));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_key_store_other_users_can_read_is_refused_without_showing_the_key()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes");
        }
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "sts = abababababababab\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            var refused = Assert.Throws<UnauthorizedAccessException>(() => VendingKeyLoader.FromKeyStoreFile(path, "sts"));
            Assert.Contains("chmod 600", refused.Message, StringComparison.Ordinal);
            Assert.Contains("644", refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("abab", refused.Message, StringComparison.Ordinal);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Assert.Equal(64, VendingKeyLoader.FromKeyStoreFile(path, "sts").Bits);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Dkga04_key_depends_on_base_date_and_algorithm()
    {
        var dkga = new Dkga04(VendingKey.ParseHex("abababababababab949494949494949401234567"));
        var input = KeyDerivationInput.Create(123457, 1, 1, 2, PrimaryAccountNumber.Create("600727", "00000000000"));
        var k93 = dkga.Derive(input, BaseDate.Y1993, EncryptionAlgorithm.Misty1);
        var k14 = dkga.Derive(input, BaseDate.Y2014, EncryptionAlgorithm.Misty1);
        var sta = dkga.Derive(input, BaseDate.Y1993, EncryptionAlgorithm.Sta);
        Assert.Equal(128, k93.Bits);
        Assert.Equal(64, sta.Bits);
        Assert.NotEqual(k93, k14);
        Assert.NotEqual(k93.High, sta.Low);
    }
}
