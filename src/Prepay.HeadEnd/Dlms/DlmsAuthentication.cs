namespace Prepay.HeadEnd.Dlms;

/// <summary>
/// How the head-end authenticates to a meter's management client (Green Book, authentication mechanisms):
/// lowest (none), low-level password (mechanism 1) or high-level security with GMAC (mechanism 5, security suite 0).
/// </summary>
public enum DlmsAuthentication
{
    None,
    Low,
    HighGmac,
}
