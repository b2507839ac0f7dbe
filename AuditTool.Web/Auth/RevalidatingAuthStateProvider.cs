using AuditTool.Domain.Accounts;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace AuditTool.Web.Auth;

/// <summary>
/// Open pages (Blazor circuits) re-check the account every 30 seconds by default: a disabled account or a changed role
/// loses its open pages within a minute, not at the next sign-in. Services re-check on every call regardless.
/// </summary>
public sealed class RevalidatingAuthStateProvider(ILoggerFactory loggerFactory, IUserRepository users, TimeSpan interval)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => interval;

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        CookieValidation.IsCurrentAsync(authenticationState.User, users);
}
