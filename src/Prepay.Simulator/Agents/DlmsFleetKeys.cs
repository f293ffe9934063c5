using Prepay.Dlms.Security;

namespace Prepay.Simulator.Agents;

/// <summary>
/// The suite 0 keys (global unicast key and authentication key, 16 bytes each) the fleet's DLMS meters are served
/// with: the same as the server's <c>Dlms:Keys:Default</c> (or each meter's <c>Dlms:Keys:{number}</c>), which is
/// where the head-end takes them from. Given to the simulator as the MQTT and command secrets are; never printed.
/// </summary>
public sealed class DlmsFleetKeys
{
    private readonly byte[] _blockCipherKey;
    private readonly byte[] _authenticationKey;

    public DlmsFleetKeys(ReadOnlySpan<byte> blockCipherKey, ReadOnlySpan<byte> authenticationKey)
    {
        if (blockCipherKey.Length != SecuritySuite0.KeySize || authenticationKey.Length != SecuritySuite0.KeySize)
        {
            throw new ArgumentException($"Suite 0 keys have {SecuritySuite0.KeySize} bytes.");
        }
        _blockCipherKey = blockCipherKey.ToArray();
        _authenticationKey = authenticationKey.ToArray();
    }

    /// <summary>Parses two keys of 32 hex digits; null with the reason when either is not.</summary>
    public static DlmsFleetKeys? TryParse(string? blockCipherKeyHex, string? authenticationKeyHex, out string? problem)
    {
        problem = null;
        try
        {
            var cipher = Convert.FromHexString(blockCipherKeyHex ?? "");
            var auth = Convert.FromHexString(authenticationKeyHex ?? "");
            if (cipher.Length == SecuritySuite0.KeySize && auth.Length == SecuritySuite0.KeySize)
            {
                return new DlmsFleetKeys(cipher, auth);
            }
        }
        catch (FormatException)
        {
        }
        problem = "DLMS keys must be 32 hex digits each";
        return null;
    }

    /// <summary>A new suite 0 instance for one meter's server; the caller disposes it.</summary>
    public SecuritySuite0 CreateSuite() => new(_blockCipherKey, _authenticationKey);

    public override string ToString() => "DlmsFleetKeys (hidden)";
}
