namespace Prepay.Dlms.Acse;

/// <summary>The COSEM application context names (Green Book): referencing and whether APDUs are ciphered.</summary>
public enum ApplicationContext : byte
{
    LogicalName = 1,
    ShortName = 2,
    LogicalNameCiphered = 3,
    ShortNameCiphered = 4,
}

/// <summary>The COSEM authentication mechanism names (Green Book): 0 lowest, 1 low (password), 2-7 high levels.</summary>
public enum AuthenticationMechanism : byte
{
    Lowest = 0,
    Low = 1,
    High = 2,
    HighMd5 = 3,
    HighSha1 = 4,
    HighGmac = 5,
    HighSha256 = 6,
    HighEcdsa = 7,
}

/// <summary>Association-result of the AARE (ISO/IEC 8650-1 ACSE).</summary>
public enum AssociationResult : byte
{
    Accepted = 0,
    RejectedPermanent = 1,
    RejectedTransient = 2,
}

/// <summary>Which side of the ACSE produced the diagnostic: acse-service-user [1] or acse-service-provider [2].</summary>
public enum DiagnosticSource : byte
{
    ServiceUser = 1,
    ServiceProvider = 2,
}

/// <summary>
/// Associate-source-diagnostic of the AARE. Service-user values: 0 null, 1 no-reason-given,
/// 2 application-context-name-not-supported, 11 authentication-mechanism-name-not-recognised,
/// 12 authentication-mechanism-name-required, 13 authentication-failure, 14 authentication-required.
/// Service-provider values: 0 null, 1 no-reason-given, 2 no-common-acse-version.
/// </summary>
public readonly record struct AssociateDiagnostic(DiagnosticSource Source, byte Value)
{
    public static AssociateDiagnostic Null => new(DiagnosticSource.ServiceUser, 0);

    public static AssociateDiagnostic AuthenticationRequired => new(DiagnosticSource.ServiceUser, 14);

    public static AssociateDiagnostic AuthenticationFailure => new(DiagnosticSource.ServiceUser, 13);
}
