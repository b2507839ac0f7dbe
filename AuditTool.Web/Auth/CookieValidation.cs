using System.Security.Claims;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Logging;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace AuditTool.Web.Auth;

/// <summary>Every request re-checks the account: disabled, removed or changed (new security stamp) ends the session.</summary>
public static class CookieValidation
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var users = context.HttpContext.RequestServices.GetRequiredService<IUserRepository>();
        if (!await IsCurrentAsync(context.Principal, users))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    public static async Task<bool> IsCurrentAsync(ClaimsPrincipal? principal, IUserRepository users)
    {
        var actor = principal.ToActor();
        if (actor is null)
        {
            return false;
        }

        var user = await users.GetByIdAsync(actor.UserId);
        return user is { IsDisabled: false } &&
               user.SecurityStamp == principal!.FindFirstValue(ClaimsMapping.StampClaim);
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
