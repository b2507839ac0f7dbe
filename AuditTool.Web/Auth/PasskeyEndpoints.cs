using System.Text.Json;
using AuditTool.Domain.Accounts;
using AuditTool.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace AuditTool.Web.Auth;

/// <summary>
/// The passkey ceremonies, for <c>js/passkeys.js</c>: <c>Options</c> hands out a challenge, <c>Finish</c> takes the
/// browser's answer. Both are POSTs that must carry the header <c>X-AuditTool-Passkey: 1</c>, which another site's page
/// cannot send (a cross-site request with a header of its own needs this site's consent, which it never gives), so no
/// other page can start or finish a ceremony in someone's name. Who the ceremony is for comes from the server's side
/// only: the signed-in account (adding a passkey on the account page), the pending sign-in's protected cookie (setting
/// up or giving the second factor), or nobody (signing in with a passkey, which names its own account).
/// </summary>
public static class PasskeyEndpoints
{
    public const string Header = "X-AuditTool-Passkey";

    public sealed record OptionsRequest(string? Purpose);

    public sealed record FinishRequest(string? Purpose, string? Ceremony, JsonElement Credential, string? Name, string? ReturnUrl);

    public static IEndpointRouteBuilder MapPasskeyEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/Account/Passkey/Options", async (HttpContext context, OptionsRequest request, PasskeyService passkeys) =>
        {
            if (!FromOurPage(context))
            {
                return Results.BadRequest(new { message = "This request did not come from AuditTool's own page." });
            }

            var site = Site(context);
            try
            {
                var ceremony = request.Purpose switch
                {
                    PasskeyPurposes.Register when context.User.ToActor() is { } actor => await passkeys.BeginOwnRegistrationAsync(actor, site),
                    PasskeyPurposes.Register when PendingSignInCookie.Read(context) is { } pending => await passkeys.BeginRegistrationAsync(pending.UserId, site),
                    PasskeyPurposes.SecondFactor when PendingSignInCookie.Read(context) is { } pending => await passkeys.BeginAssertionAsync(pending.UserId, site),
                    PasskeyPurposes.SignIn => await passkeys.BeginAssertionAsync(null, site),
                    _ => null,
                };
                return ceremony is null
                    ? Results.BadRequest(new { message = "This step has expired or was not started here. Sign in again." })
                    : Results.Text($$"""{"ceremony":{{JsonSerializer.Serialize(ceremony.Id)}},"options":{{ceremony.OptionsJson}}}""", "application/json");
            }
            catch (PasskeyRefusedException ex)
            {
                return Results.BadRequest(new { message = ex.Message });
            }
        }).AllowAnonymous();

        endpoints.MapPost("/Account/Passkey/Finish", async (HttpContext context, FinishRequest request, PasskeyService passkeys, SignInService signIn) =>
        {
            if (!FromOurPage(context))
            {
                return Results.BadRequest(new { message = "This request did not come from AuditTool's own page." });
            }

            var site = Site(context);
            var credential = request.Credential.ValueKind == JsonValueKind.Object ? request.Credential.GetRawText() : null;
            var done = Components.Pages.Account.SignIn.SafeReturnUrl(request.ReturnUrl);
            try
            {
                switch (request.Purpose)
                {
                    case PasskeyPurposes.Register when context.User.ToActor() is { } actor:
                        await passkeys.FinishRegistrationAsync(actor.UserId, request.Ceremony, credential, request.Name, site);
                        return Results.Ok(new { message = "Your passkey is added.", redirect = (string?)null });
                    case PasskeyPurposes.Register when PendingSignInCookie.Read(context) is { } pending:
                        await passkeys.FinishRegistrationAsync(pending.UserId, request.Ceremony, credential, request.Name, site);
                        return await SignedInAsync(context, await signIn.CompleteAfterSetUpAsync(pending), done);
                    case PasskeyPurposes.SecondFactor when PendingSignInCookie.Read(context) is { } pending:
                        return await SignedInAsync(context, await signIn.PasskeySecondFactorAsync(pending, request.Ceremony, credential, site), done);
                    case PasskeyPurposes.SignIn:
                        return await SignedInAsync(context, await signIn.PasskeySignInAsync(request.Ceremony, credential, site), done);
                    default:
                        return Results.BadRequest(new { message = "This step has expired or was not started here. Sign in again." });
                }
            }
            catch (PasskeyRefusedException ex)
            {
                return Results.BadRequest(new { message = ex.Message });
            }
        }).AllowAnonymous();
        return endpoints;
    }

    private static async Task<IResult> SignedInAsync(HttpContext context, SignInResult result, string returnUrl)
    {
        if (result.Outcome != SignInOutcome.Success || result.User is null)
        {
            if (result.Outcome is SignInOutcome.Disabled or SignInOutcome.LockedOut)
            {
                PendingSignInCookie.Clear(context);
            }

            return Results.BadRequest(new { message = result.Message });
        }

        PendingSignInCookie.Clear(context);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, ClaimsMapping.ToPrincipal(result.User, result.Session!));
        return Results.Ok(new { message = "Signed in.", redirect = returnUrl });
    }

    private static bool FromOurPage(HttpContext context) => context.Request.Headers[Header] == "1";

    /// <summary>The site passkeys belong to: the configured address, else the request's own (as the proxy forwarded it).</summary>
    public static PasskeySite Site(HttpContext context)
    {
        var configured = context.RequestServices.GetRequiredService<AuditToolOptions>().PasskeyOrigin;
        if (Uri.TryCreate(configured, UriKind.Absolute, out var uri))
        {
            return new PasskeySite(uri.Host, uri.GetLeftPart(UriPartial.Authority));
        }

        return new PasskeySite(context.Request.Host.Host, $"{context.Request.Scheme}://{context.Request.Host}");
    }
}
