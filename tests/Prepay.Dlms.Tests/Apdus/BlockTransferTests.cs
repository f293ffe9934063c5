using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem;

namespace Prepay.Dlms.Tests.Apdus;

/// <summary>
/// Block transfer as the Green Book describes it: the encoded Data value is cut into raw-data blocks numbered from
/// 1, the last one flagged; the receiver joins the raw data and decodes one value.
/// </summary>
public sealed class BlockTransferTests
{
    private static readonly InvokeIdAndPriority Invoke = InvokeIdAndPriority.Create(1);

    // A load profile buffer: an array of (date-time, energy) entries, long enough to need several blocks.
    private static readonly DlmsValue LongValue = new DlmsArray(new ValueList<DlmsValue>(Enumerable.Range(0, 200).Select(i =>
        (DlmsValue)new DlmsStructure([new OctetString(new Octets(new byte[12])), new DoubleLongUnsigned((uint)i)]))));

    [Fact]
    public void A_long_get_answer_travels_in_numbered_blocks_and_joins_back_into_the_value()
    {
        byte[] encoded = LongValue.Encode();
        var blocks = encoded.Chunk(1000).Select((chunk, i) => new GetResponseWithDataBlock(
            Invoke, LastBlock: (i + 1) * 1000 >= encoded.Length, BlockNumber: (uint)(i + 1), new Octets(chunk))).ToList();
        Assert.True(blocks.Count > 1);

        var received = blocks.Select(b => (GetResponseWithDataBlock)Apdu.Decode(b.Encode())).ToList();

        Assert.Equal(Enumerable.Range(1, blocks.Count).Select(i => (uint)i), received.Select(b => b.BlockNumber));
        Assert.Equal([.. Enumerable.Repeat(false, blocks.Count - 1), true], received.Select(b => b.LastBlock));
        byte[] joined = received.SelectMany(b => b.RawData.ToArray()).ToArray();
        Assert.Equal(LongValue, DlmsValue.Decode(joined));
    }

    [Fact]
    public void A_long_set_sends_the_first_block_with_the_attribute_and_the_rest_alone()
    {
        byte[] encoded = LongValue.Encode();
        var attribute = new CosemAttributeDescriptor(7, ObisCode.Parse("1.0.99.1.0.255"), 2);
        var chunks = encoded.Chunk(800).ToArray();
        var requests = new List<Apdu> { new SetRequestWithFirstDataBlock(Invoke, attribute, null, new DataBlock(false, 1, new Octets(chunks[0]))) };
        requests.AddRange(chunks.Skip(1).Select((chunk, i) =>
            (Apdu)new SetRequestWithDataBlock(Invoke, new DataBlock(i + 2 == chunks.Length, (uint)(i + 2), new Octets(chunk)))));

        var blocks = requests.Select(r => Apdu.Decode(r.Encode())).Select(r => r switch
        {
            SetRequestWithFirstDataBlock first => first.Block,
            SetRequestWithDataBlock next => next.Block,
            _ => throw new InvalidOperationException(),
        }).ToList();

        Assert.Equal(attribute, ((SetRequestWithFirstDataBlock)Apdu.Decode(requests[0].Encode())).Attribute);
        Assert.True(blocks[^1].LastBlock);
        Assert.Equal(LongValue, DlmsValue.Decode(blocks.SelectMany(b => b.RawData.ToArray()).ToArray()));
        Assert.Equal("C502C100000002", Hex.Of(new SetResponseDataBlock(Invoke, 2).Encode()));
    }
}
