using System.Security.Claims;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Security;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace AuditTool.Web.Auth;

public static class ClaimsMapping
{
    public const string AgencyClaim = "audittool:agency";
    public const string StampClaim = "audittool:stamp";

    /// <summary>The server-side session this cookie belongs to (<see cref="SessionService"/>).</summary>
    public const string SessionClaim = "audittool:session";

    public static ClaimsPrincipal ToPrincipal(User user, NewSession session)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, user.UserName),
            new(ClaimTypes.GivenName, user.DisplayName),
            new(ClaimTypes.Role, user.Role.ToKey()),
            new(StampClaim, user.SecurityStamp),
            new(SessionClaim, session.Id),
        };
        if (user.AgencyId is { } agencyId)
        {
            claims.Add(new Claim(AgencyClaim, agencyId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    /// <summary>The actor behind a signed-in principal; null when signed out or the claims are not ours.</summary>
    public static Actor? ToActor(this ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true ||
            !long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ||
            Roles.Parse(principal.FindFirstValue(ClaimTypes.Role)) is not { } role)
        {
            return null;
        }

        long? agency = long.TryParse(principal.FindFirstValue(AgencyClaim), out var a) ? a : null;
        return new Actor(id, principal.Identity.Name ?? string.Empty, role, agency);
    }
}
