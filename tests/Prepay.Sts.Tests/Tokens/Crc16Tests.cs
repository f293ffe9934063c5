using Prepay.Sts.Tokens;
using Xunit;

namespace Prepay.Sts.Tests.Tokens;

public sealed class Crc16Tests
{
    [Fact]
    public void Crc_of_the_standards_example_is_C207()
    {
        // IEC 62055-41 worked example, quoted as CRC_FROM_STANDARD in NectarAPI CrcTest.java: 0x0B19EB230100 -> 49671.
        Assert.Equal(0xC207, Crc16.Compute(0x0B19EB230100UL));
    }

    [Fact]
    public void Crc_of_a_second_published_block_is_0FFA()
    {
        // From the public script sts_token_recharge.py self-test: bytes 00004A2D900FF2 -> 0x0FFA.
        Assert.Equal(0x0FFA, Crc16.Compute(0x00004A2D900FF2UL));
    }
}
