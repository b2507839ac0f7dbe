using AuditTool.Domain.Accounts;
using AuditTool.Domain.Logging;

namespace AuditTool.Domain.Security;

/// <summary>
/// The one gate every service call goes through: the actor is re-read from the database, so a disabled account or a
/// changed role takes effect on the next call, whatever the open page still shows.
/// </summary>
public sealed class AccessPolicy(IUserRepository users, IAuditLog log, TimeProvider clock)
{
    public async Task<User?> CurrentAsync(Actor actor)
    {
        if (actor.IsSystem)
        {
            return null;
        }

        var user = await users.GetByIdAsync(actor.UserId);
        return user is { IsDisabled: false } ? user : null;
    }

    public async Task<User?> RequireAsync(Actor actor, string what, params Role[] roles)
    {
        if (actor.IsSystem)
        {
            return null;
        }

        var user = await users.GetByIdAsync(actor.UserId);
        if (!Allows(user, roles))
        {
            await RefuseAsync(actor, what);
        }

        return user;
    }

    /// <summary>The rule itself, for a caller that has read the account as it is now in its own round trip (an answer
    /// save reads it with the return): an enabled account in one of <paramref name="roles"/>.</summary>
    public static bool Allows(User? user, params Role[] roles) => user is { IsDisabled: false } && roles.Contains(user.Role);

    /// <summary>Logs the refusal and throws, as <see cref="RequireAsync"/> does when <see cref="Allows"/> says no.</summary>
    public async Task RefuseAsync(Actor actor, string what)
    {
        await log.WriteAsync(new AuditLogEntry(clock.GetUtcNow(), actor.UserId, actor.UserName,
            "access-refused", "page-or-service", what, null, $"role={actor.Role.ToKey()}"));
        throw new AccessDeniedException("You do not have access to this.");
    }
}
