using AuditTool.Domain.Security;
using Microsoft.AspNetCore.Components.Authorization;

namespace AuditTool.Web.Auth;

/// <summary>The actor of the current circuit or request, for passing to services.</summary>
public sealed class CurrentUser(AuthenticationStateProvider authentication)
{
    public async Task<Actor> GetAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return state.User.ToActor() ?? throw new AccessDeniedException("Sign in first.");
    }
}
