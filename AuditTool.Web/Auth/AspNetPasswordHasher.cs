using Microsoft.AspNetCore.Identity;

namespace AuditTool.Web.Auth;

/// <summary>ASP.NET Core's PasswordHasher (PBKDF2, salted, versioned) behind the domain's interface.</summary>
public sealed class AspNetPasswordHasher : Domain.Accounts.IPasswordHasher
{
    private static readonly object Subject = new();
    private readonly PasswordHasher<object> _hasher = new();

    public string Hash(string password) => _hasher.HashPassword(Subject, password);

    public bool Verify(string hash, string password, out bool rehash)
    {
        PasswordVerificationResult result;
        try
        {
            result = _hasher.VerifyHashedPassword(Subject, hash, password);
        }
        catch (FormatException)
        {
            result = PasswordVerificationResult.Failed;
        }

        rehash = result == PasswordVerificationResult.SuccessRehashNeeded;
        return result != PasswordVerificationResult.Failed;
    }
}
