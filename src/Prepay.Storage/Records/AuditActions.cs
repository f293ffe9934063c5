namespace Prepay.Storage.Records;

/// <summary>Audit actions written from more than one module, named once.</summary>
public static class AuditActions
{
    /// <summary>
    /// Something showed a token to someone: a reprint, a list with tokens (API or page), a receipt that carries one
    /// (OWASP ASVS 5.0 V14.2, V16.2: access to sensitive data is logged). Target <c>vend/{id}</c> for one vend, or
    /// <c>meter/{number}</c> with the vends in the details for a list.
    /// </summary>
    public const string TokenRead = "token.read";
}
