using AuditTool.Domain.Accounts;
using Microsoft.AspNetCore.DataProtection;

namespace AuditTool.Web.Auth;

/// <summary>Secrets kept unreadable in the database with the app's data protection key ring (itself in the database).</summary>
public sealed class KeyRingSecrets(IDataProtectionProvider provider) : ISecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("AuditTool.Secrets.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string? Unprotect(string protectedSecret)
    {
        try
        {
            return _protector.Unprotect(protectedSecret);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
