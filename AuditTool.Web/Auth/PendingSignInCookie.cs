using System.Globalization;
using AuditTool.Domain.Accounts;
using Microsoft.AspNetCore.DataProtection;

namespace AuditTool.Web.Auth;

/// <summary>
/// A sign-in that has passed its password and waits for its second factor, carried between the sign-in pages in a
/// cookie of its own: protected by the key ring (any server reads it), good for ten minutes, and worth nothing without
/// the second factor. It is not a session: no page or service accepts it.
/// </summary>
public static class PendingSignInCookie
{
    public const string Name = "audittool.pending";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private static ITimeLimitedDataProtector Protector(HttpContext context) =>
        context.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector("AuditTool.PendingSignIn.v1").ToTimeLimitedDataProtector();

    public static void Write(HttpContext context, PendingSignIn pending)
    {
        var value = string.Join('\n', pending.UserId.ToString(CultureInfo.InvariantCulture), pending.UserName, pending.SecurityStamp, pending.Method);
        context.Response.Cookies.Append(Name, Protector(context).Protect(value, Lifetime), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps || !context.RequestServices.GetRequiredService<IWebHostEnvironment>().IsDevelopment(),
            Path = "/Account",
            MaxAge = Lifetime,
        });
    }

    public static PendingSignIn? Read(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(Name, out var cookie) || string.IsNullOrEmpty(cookie))
        {
            return null;
        }

        try
        {
            var parts = Protector(context).Unprotect(cookie).Split('\n');
            return parts.Length == 4 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
                ? new PendingSignIn(userId, parts[1], parts[2], parts[3])
                : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    public static void Clear(HttpContext context) => context.Response.Cookies.Delete(Name, new CookieOptions { Path = "/Account" });
}
