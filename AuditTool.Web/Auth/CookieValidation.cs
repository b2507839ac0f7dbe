using System.Security.Claims;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Logging;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace AuditTool.Web.Auth;

/// <summary>
/// Every request re-checks its session on the server: ended (signed out, disabled, password or role changed), past its
/// absolute lifetime, or its account changed, and the cookie is worth nothing, on every server.
/// </summary>
public static class CookieValidation
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionService>();
        if (!await IsCurrentAsync(context.Principal, sessions))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    public static async Task<bool> IsCurrentAsync(ClaimsPrincipal? principal, SessionService sessions)
    {
        if (principal?.ToActor() is not { } actor)
        {
            return false;
        }

        return await sessions.IsCurrentAsync(actor.UserId,
            principal.FindFirstValue(ClaimsMapping.SessionClaim), principal.FindFirstValue(ClaimsMapping.StampClaim));
    }

    /// <summary>A signed-in user who asks for a page their role may not see: refused, and written to the audit log.</summary>
    public static async Task AccessDeniedAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        var log = context.HttpContext.RequestServices.GetRequiredService<IAuditLog>();
        var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
        var actor = context.HttpContext.User.ToActor();
        await log.WriteAsync(new AuditLogEntry(clock.GetUtcNow(), actor?.UserId, actor?.UserName ?? "anonymous",
            "access-refused", "page", context.Request.Path.Value, null, null));
        context.Response.Redirect(context.RedirectUri);
    }
}
