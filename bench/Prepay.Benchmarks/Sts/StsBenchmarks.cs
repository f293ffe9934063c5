using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Prepay.Sts.Algorithms;
using Prepay.Sts.Keys;
using Prepay.Sts.Tokens;

namespace Prepay.Benchmarks.Sts;

/// <summary>
/// STS key generation, token encoding and decoding per algorithm, against one raw DES block
/// (System.Security.Cryptography, cached key) as the baseline. One operation = one token (or one key).
/// </summary>
[MemoryDiagnoser]
public class StsBenchmarks : IDisposable
{
    private readonly byte[] _desIn = [1, 2, 3, 4, 5, 6, 7, 8];
    private readonly byte[] _desOut = new byte[8];
    private readonly char[] _digits = new char[TokenNumber.Digits];
    private DES _des = null!;
    private Dkga02 _dkga02 = null!;
    private Dkga04 _dkga04 = null!;
    private KeyDerivationInput _input;
    private ulong _panBlock;
    private ulong _controlBlock;
    private TokenCodec _sta = null!;
    private TokenCodec _misty = null!;
    private TokenData _data;
    private string _staToken = null!;
    private string _mistyToken = null!;

    [GlobalSetup]
    public void Setup()
    {
        _des = DES.Create();
        _des.Key = Convert.FromHexString("abababababababab");
        var pan = PrimaryAccountNumber.Create("600727", "00000000000");
        _input = KeyDerivationInput.Create(123456, 1, 1, 2, pan);
        _panBlock = pan.PanBlock();
        _controlBlock = _input.ControlBlock();
        _dkga02 = new Dkga02(VendingKey.ParseHex("abababababababab"));
        _dkga04 = new Dkga04(VendingKey.ParseHex("abababababababab949494949494949401234567"));
        _sta = new TokenCodec(TokenCiphers.Create(EncryptionAlgorithm.Sta, _dkga02.Derive(_input)));
        _misty = new TokenCodec(TokenCiphers.Create(EncryptionAlgorithm.Misty1, _dkga04.Derive(_input, BaseDate.Y1993, EncryptionAlgorithm.Misty1)));
        _data = TokenData.CreditTransfer(CreditSubclass.Electricity, 5, 5_000_000, TransferAmount.FromUnitsExact(1234));
        _staToken = _sta.Encode(_data).ToString();
        _mistyToken = _misty.Encode(_data).ToString();
    }

    [Benchmark(Baseline = true, Description = "DES ECB 1 block (BCL)")]
    public int DesEcbOneBlock() => _des.EncryptEcb(_desIn, _desOut, PaddingMode.None);

    [Benchmark(Description = "DKGA-02 keygen")]
    public ulong Dkga02Keygen() => _dkga02.Derive(_panBlock, _controlBlock).Low;

    [Benchmark(Description = "DKGA-04 keygen (EA11)")]
    public ulong Dkga04Keygen() => _dkga04.Derive(_input, BaseDate.Y1993, EncryptionAlgorithm.Misty1).Low;

    [Benchmark(Description = "EA07 encode into span")]
    public char Ea07EncodeSpan()
    {
        _sta.Encode(_data, _digits);
        return _digits[19];
    }

    [Benchmark(Description = "EA07 encode to string")]
    public string Ea07EncodeString() => _sta.Encode(_data).ToString();

    [Benchmark(Description = "EA07 decode")]
    public ulong Ea07Decode()
    {
        TokenNumber.TryParse(_staToken, out var token);
        return _sta.Decode(token, out _).Data;
    }

    [Benchmark(Description = "EA11 encode into span")]
    public char Ea11EncodeSpan()
    {
        _misty.Encode(_data, _digits);
        return _digits[19];
    }

    [Benchmark(Description = "EA11 decode")]
    public ulong Ea11Decode()
    {
        TokenNumber.TryParse(_mistyToken, out var token);
        return _misty.Decode(token, out _).Data;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _des?.Dispose();
        _dkga02?.Dispose();
        GC.SuppressFinalize(this);
    }
}
