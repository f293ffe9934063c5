namespace Prepay.Sts.Algorithms;

/// <summary>
/// The production substitution and permutation tables of the Standard Transfer Algorithm (EA07).
/// IEC 62055-41 Annex (STA) prints sample tables only (S1 = C A 8 4 3 F 0 2 ...); these are the tables
/// meters use, as published in open-source STS implementations (NectarAPI tokens-service,
/// "EncryptingFirstSubstitutionTable" etc. marked "Actual"/"Real table"). They are confirmed by
/// reproducing the STS Association conformance tokens (STS 531-1-0-02 CTSA01..05), see the tests.
/// Bit numbering: bit 0 is the least significant bit of the 64-bit block.
/// </summary>
internal static class StaTables
{
    /// <summary>Substitution for a nibble whose key selection bit is 0.</summary>
    public static ReadOnlySpan<byte> Substitution1 => [14, 10, 7, 9, 12, 3, 2, 5, 13, 0, 15, 1, 4, 8, 6, 11];

    /// <summary>Substitution for a nibble whose key selection bit is 1.</summary>
    public static ReadOnlySpan<byte> Substitution2 => [12, 8, 2, 13, 7, 6, 1, 3, 11, 5, 9, 15, 0, 4, 10, 14];

    /// <summary>Bit i of the substituted block moves to bit Permutation[i].</summary>
    public static ReadOnlySpan<byte> Permutation =>
    [
        55, 42, 10, 18, 24, 21, 44, 35, 2, 22, 56, 43, 27, 58, 9, 50,
        6, 36, 12, 61, 37, 38, 53, 16, 62, 3, 7, 4, 32, 20, 63, 25,
        51, 52, 54, 33, 49, 19, 46, 29, 48, 31, 23, 30, 41, 28, 13, 5,
        40, 60, 39, 11, 15, 17, 1, 0, 57, 34, 59, 8, 47, 14, 45, 26,
    ];
}
