using AuditTool.Domain.Logging;
using AuditTool.Domain.Notices;
using AuditTool.Domain.Security;

namespace AuditTool.Domain.Accounts;

/// <summary><c>AuditTool:Accounts:DisableAfterDays</c>: accounts unused this long are disabled (0: never).</summary>
public sealed record AccountSettings(int DisableAfterDays)
{
    public static AccountSettings Default { get; } = new(90);
}

/// <summary>
/// Accounts that end when people leave: the daily pass disables every account not used for the set number of days
/// (since its last sign-in, or its creation if it never signed in), logged, its sessions ended, and tells the
/// administrators how many through the outbox. The last enabled administrator is never disabled this way: someone must
/// be able to enable the others again.
/// </summary>
public sealed class AccountLifecycleService(
    IUserRepository users,
    IOutboxRepository outbox,
    NoticeSettings notices,
    AccountSettings settings,
    AccessPolicy access,
    IAccountChangeNotifier notifier,
    TimeProvider clock)
{
    public async Task<IReadOnlyList<string>> DisableUnusedAsync(Actor actor)
    {
        await access.RequireAsync(actor, "users.disable-unused", Role.Administrator);
        if (settings.DisableAfterDays <= 0)
        {
            return [];
        }

        var now = clock.GetUtcNow();
        var cutOff = now.AddDays(-settings.DisableAfterDays);
        var all = await users.GetAllAsync();
        var lastSignIns = await users.GetLastSignInsAsync();
        var unused = all.Where(u => !u.IsDisabled && (lastSignIns.TryGetValue(u.Id, out var last) ? last.At : u.CreatedUtc) < cutOff).ToList();
        var admins = all.Where(u => u is { IsDisabled: false, Role: Role.Administrator }).ToList();
        if (admins.Count > 0 && admins.All(unused.Contains))
        {
            unused.Remove(admins.MaxBy(a => lastSignIns.TryGetValue(a.Id, out var last) ? last.At : a.CreatedUtc)!);
        }

        var disabled = new List<string>();
        foreach (var user in unused)
        {
            var changed = await users.SetDisabledAsync(user.Id, true, now, new AuditLogEntry(now, actor.IsSystem ? null : actor.UserId,
                actor.UserName, "disable", "user", user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "{\"disabled\":false}", $"not used for {settings.DisableAfterDays} days"));
            if (changed)
            {
                disabled.Add(user.UserName);
                notifier.Changed(user.Id);
            }
        }

        if (disabled.Count > 0)
        {
            var content = NoticeComposer.AccountsDisabled(disabled.Count, settings.DisableAfterDays);
            var day = DateOnly.FromDateTime(now.UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            await outbox.AddAsync(all.Where(u => u is { Role: Role.Administrator, IsDisabled: false, Email: not null } && !disabled.Contains(u.UserName))
                .Select(a => new NewOutboxMessage($"accounts-disabled:{day}:user-{a.Id}", NoticeKinds.AccountsDisabled, null, null, a.Id, a.Email!,
                    content.Subject, NoticeComposer.Text(content, notices.PublicUrl), NoticeComposer.Html(content, notices.PublicUrl)))
                .ToList(), now);
        }

        return disabled;
    }
}
