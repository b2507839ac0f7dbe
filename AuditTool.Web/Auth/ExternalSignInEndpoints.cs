using System.Net;
using AuditTool.Domain.Accounts;
using AuditTool.Web.Components.Pages.Account;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace AuditTool.Web.Auth;

/// <summary>
/// Sign-in through an agency's identity provider: <c>/Account/External/NAME</c> sends the browser to the provider (after
/// checking that it answers), the provider sends it back to <c>/signin-oidc-NAME</c> (the OpenID Connect handler
/// validates the answer), and <c>/Account/ExternalDone</c> finds the account and starts the session.
/// </summary>
public static class ExternalSignInEndpoints
{
    private const string NoticePurpose = "AuditTool.SignInNotice.v1";

    public static IEndpointRouteBuilder MapExternalSignInEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/Account/External/{name}", async (HttpContext context, string name, string? returnUrl, string? hint, OidcProviders providers,
            IOptionsMonitor<OpenIdConnectOptions> oidcOptions, ILogger<OidcProviders> logger) =>
        {
            if (providers.Find(name) is not { } provider)
            {
                return Results.LocalRedirect("/Account/SignIn");
            }

            // A provider that is down gives a plain message on the sign-in page, not an error page.
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await oidcOptions.Get(provider.Scheme).ConfigurationManager!.GetConfigurationAsync(timeout.Token);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                logger.LogWarning(ex, "Identity provider {Provider} did not answer", provider.Name);
                return Results.LocalRedirect($"/Account/SignIn?provider={Uri.EscapeDataString(provider.Name)}&down=1");
            }

            var properties = new AuthenticationProperties
            {
                RedirectUri = $"/Account/ExternalDone?provider={Uri.EscapeDataString(provider.Name)}&returnUrl={Uri.EscapeDataString(SignIn.SafeReturnUrl(returnUrl))}",
            };
            if (!string.IsNullOrWhiteSpace(hint) && hint.Length <= 254)
            {
                properties.Items["login_hint"] = hint.Trim();
            }

            return Results.Challenge(properties, [provider.Scheme]);
        }).AllowAnonymous();

        endpoints.MapGet("/Account/ExternalDone", async (HttpContext context, string? provider, string? returnUrl, OidcProviders providers,
            ExternalSignInService externalSignIn) =>
        {
            var configured = providers.Find(provider);
            var external = await context.AuthenticateAsync(OidcProviders.ExternalScheme);
            await context.SignOutAsync(OidcProviders.ExternalScheme);
            if (configured is null || !external.Succeeded || external.Principal is null)
            {
                return Results.LocalRedirect("/Account/SignIn");
            }

            var result = await externalSignIn.SignInAsync(OidcProviders.IdentityOf(configured, external.Principal), configured.Rules);
            var target = SignIn.SafeReturnUrl(returnUrl);
            if (result is { Pending: { } pending, Outcome: SignInOutcome.SecondFactorNeeded or SignInOutcome.SecondFactorSetUpNeeded })
            {
                PendingSignInCookie.Write(context, pending);
                var page = result.Outcome == SignInOutcome.SecondFactorNeeded ? "/Account/SecondFactor" : "/Account/SecondFactorSetUp";
                return Continue($"{page}?returnUrl={Uri.EscapeDataString(target)}");
            }

            if (result.Outcome != SignInOutcome.Success || result.User is null)
            {
                return Results.LocalRedirect($"/Account/SignIn?notice={Uri.EscapeDataString(ProtectNotice(context, result.Message))}");
            }

            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, ClaimsMapping.ToPrincipal(result.User, result.Session!));
            return Continue(target);
        }).AllowAnonymous();
        return endpoints;
    }

    /// <summary>A message for the sign-in page, protected so that nobody can put words of their own on it through a link.</summary>
    public static string ProtectNotice(HttpContext context, string message) =>
        Protector(context).Protect(message, TimeSpan.FromMinutes(5));

    public static string? ReadNotice(HttpContext context, string? notice)
    {
        if (string.IsNullOrEmpty(notice))
        {
            return null;
        }

        try
        {
            return Protector(context).Unprotect(notice);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    private static ITimeLimitedDataProtector Protector(HttpContext context) =>
        context.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(NoticePurpose).ToTimeLimitedDataProtector();

    /// <summary>
    /// The way back from a provider is a chain of redirects that began on the provider's site, and the browser sends no
    /// SameSite=Strict cookie (the session's) along such a chain: this page of our own starts a fresh navigation.
    /// </summary>
    private static IResult Continue(string target)
    {
        var url = WebUtility.HtmlEncode(target);
        return Results.Content($"""
            <!DOCTYPE html>
            <html lang="en-GB">
            <head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={url}"><title>Signing in · AuditTool</title></head>
            <body><main><p>Signing you in… <a href="{url}">Carry on</a></p></main></body>
            </html>
            """, "text/html; charset=utf-8");
    }
}
