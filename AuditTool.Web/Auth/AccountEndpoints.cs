using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace AuditTool.Web.Auth;

public static class AccountEndpoints
{
    /// <summary>Sign-out is a POST with an antiforgery token (from the layout's form, or the idle timer).</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/Account/SignOut", async (HttpContext context, IAntiforgery antiforgery, string? reason) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest("The sign-out form has expired: reload the page and try again.");
            }

            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect(reason == "idle" ? "/Account/SignIn?idle=1" : "/Account/SignIn?signedOut=1");
        }).AllowAnonymous();
        return endpoints;
    }
}
