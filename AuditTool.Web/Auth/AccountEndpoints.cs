using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace AuditTool.Web.Auth;

public static class AccountEndpoints
{
    /// <summary>
    /// Sign-out is a POST with an antiforgery token (from the layout's form, or the idle timer). Signing out ends every
    /// session of the account on the server, so its other pages and any copied cookie are signed out too; the idle
    /// timer ends the session of its own page only.
    /// </summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/Account/SignOut", async (HttpContext context, IAntiforgery antiforgery, Domain.Accounts.SessionService sessions, string? reason) =>
        {
            var target = reason == "idle" ? "/Account/SignIn?idle=1" : "/Account/SignIn?signedOut=1";
            if (context.User.Identity?.IsAuthenticated != true)
            {
                // The session has already ended (its cookie ran out): there is nothing to sign out of.
                return Results.LocalRedirect(target);
            }

            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest("The sign-out form has expired: reload the page and try again.");
            }

            // Ended on the server (signing out: every session of the account; the idle timer: this session): a copy of
            // this cookie is worth nothing from now on.
            if (context.User.ToActor() is { } actor)
            {
                if (reason == "idle")
                {
                    await sessions.SignOutIdleAsync(actor.UserId, actor.UserName, context.User.FindFirstValue(ClaimsMapping.SessionClaim));
                }
                else
                {
                    await sessions.SignOutAsync(actor.UserId, actor.UserName);
                }
            }

            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect(target);
        }).AllowAnonymous();

        // Activity inside a page (a Blazor circuit) makes no HTTP request, so the page pings this now and then while
        // someone is working: the sliding sign-in cookie then lasts as long as they are active.
        endpoints.MapGet("/Account/KeepAlive", () => Results.NoContent()).RequireAuthorization();
        return endpoints;
    }
}
