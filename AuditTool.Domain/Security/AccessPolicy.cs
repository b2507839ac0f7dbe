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
        if (user is null || user.IsDisabled || !roles.Contains(user.Role))
        {
            await log.WriteAsync(new AuditLogEntry(clock.GetUtcNow(), actor.UserId, actor.UserName,
                "access-refused", "page-or-service", what, null, $"role={actor.Role.ToKey()}"));
            throw new AccessDeniedException("You do not have access to this.");
        }

        return user;
    }
}
