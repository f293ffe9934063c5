using CsCheck;
using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Tests;

/// <summary>
/// Random and mutated bytes into every reader: the only exception allowed out is <see cref="DlmsFormatException"/>.
/// Each property is bounded by an iteration count that runs in well under a few seconds.
/// </summary>
public sealed class FuzzTests
{
    internal static void OnlyFormatErrors(Action decode)
    {
        try
        {
            decode();
        }
        catch (DlmsFormatException)
        {
        }
    }

    /// <summary>Each golden input, with bytes replaced, inserted, removed or the tail cut.</summary>
    internal static Gen<byte[]> Mutations(params byte[][] seeds) =>
        Generators.Pick(seeds).SelectMany(seed => Gen.Select(Gen.Int[0, 3], Gen.Int[0, Math.Max(seed.Length - 1, 0)], Gen.Byte, Gen.Int[1, 3])
            .Select(t =>
            {
                var bytes = seed.ToList();
                for (int i = 0; i < t.Item4 && bytes.Count > 0; i++)
                {
                    int at = (t.Item2 + (i * 7)) % bytes.Count;
                    switch (t.Item1)
                    {
                        case 0: bytes[at] = t.Item3; break;
                        case 1: bytes.Insert(at, t.Item3); break;
                        case 2: bytes.RemoveAt(at); break;
                        default: bytes.RemoveRange(at, bytes.Count - at); break;
                    }
                }
                return bytes.ToArray();
            }));

    internal static readonly Gen<byte[]> RandomBytes = Gen.Byte.Array[0, 80];

    [Fact]
    public void Random_bytes_into_the_data_reader_raise_only_format_errors()
    {
        RandomBytes.Sample(bytes => OnlyFormatErrors(() => DlmsValue.Decode(bytes)), iter: 50_000);
    }

    [Fact]
    public void Mutated_values_into_the_data_reader_raise_only_format_errors()
    {
        var seeds = Generators.Value.Array[20].Single().Select(v => v.Encode()).ToArray();
        Mutations(seeds).Sample(bytes => OnlyFormatErrors(() => DlmsValue.Decode(bytes)), iter: 50_000);
    }

    [Fact]
    public void Random_bytes_after_each_data_tag_raise_only_format_errors()
    {
        Gen.Select(Gen.Byte, Gen.Byte.Array[0, 40]).Sample(t =>
            OnlyFormatErrors(() => DlmsValue.Decode([t.Item1, .. t.Item2])), iter: 50_000);
    }
}
