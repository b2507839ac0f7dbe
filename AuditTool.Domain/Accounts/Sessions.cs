using System.Security.Cryptography;
using AuditTool.Domain.Logging;

namespace AuditTool.Domain.Accounts;

/// <summary>How long a signed-in session may last whatever the activity (<c>AuditTool:Sessions:AbsoluteHours</c>).</summary>
public sealed record SessionSettings(TimeSpan AbsoluteLifetime)
{
    public static SessionSettings Default { get; } = new(TimeSpan.FromHours(12));
}

/// <summary>A session about to be recorded at sign-in. The id is a random secret carried (protected) in the cookie.</summary>
public sealed record NewSession(string Id, DateTimeOffset CreatedUtc, DateTimeOffset ExpiresUtc, string Method)
{
    public static NewSession Start(DateTimeOffset now, SessionSettings settings, string method) =>
        new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), now, now + settings.AbsoluteLifetime, method);
}

/// <summary>A session as the server knows it, with its account's state: the one fact a cookie is checked against.</summary>
public sealed record SessionState(
    string Id,
    long UserId,
    DateTimeOffset CreatedUtc,
    DateTimeOffset ExpiresUtc,
    DateTimeOffset? EndedUtc,
    bool UserDisabled,
    string SecurityStamp,
    string? EndedReason = null)
{
    /// <summary>The reason written when a person signs out (of every session of their account).</summary>
    public const string SignedOut = "sign-out";

    /// <summary>The reason written when the page signs its person out after a time without activity.</summary>
    public const string SignedOutIdle = "sign-out-idle";

    /// <summary>Open, within its absolute lifetime, its account enabled and unchanged since it began.</summary>
    public bool IsCurrent(long userId, string? stamp, DateTimeOffset now) =>
        UserId == userId && EndedUtc is null && now < ExpiresUtc && !UserDisabled && stamp == SecurityStamp;
}

public interface ISessionRepository
{
    Task<SessionState?> GetAsync(string sessionId);

    /// <summary>Ends every open session of the account, with the log line in the same transaction; how many ended.</summary>
    Task<int> EndAllAsync(long userId, DateTimeOffset now, string reason, AuditLogEntry? log);

    /// <summary>Ends one session of the account, with the log line in the same transaction; false when it was not open.</summary>
    Task<bool> EndAsync(long userId, string sessionId, DateTimeOffset now, string reason, AuditLogEntry? log);

    /// <summary>Sessions of the account that are open and within their lifetime.</summary>
    Task<int> CountOpenAsync(long userId, DateTimeOffset now);

    /// <summary>Open sessions within their lifetime, by account.</summary>
    Task<IReadOnlyDictionary<long, int>> CountOpenByUserAsync(DateTimeOffset now);
}

/// <summary>
/// News that an account's access changed (disabled, role or password changed, signed out): its open pages re-check at
/// once, on this server and every other server on the database.
/// </summary>
public interface IAccountChangeNotifier
{
    void Changed(long userId);
}

/// <summary>Sessions kept on the server: checked on every request and by every open page; ended at sign-out.</summary>
public sealed class SessionService(ISessionRepository sessions, IAccountChangeNotifier notifier, TimeProvider clock)
{
    public async Task<bool> IsCurrentAsync(long userId, string? sessionId, string? stamp) =>
        (await CheckAsync(userId, sessionId, stamp)).IsCurrent;

    /// <summary>Whether the session is current, and if it has ended, why (<see cref="SessionState.SignedOut"/>, ...).</summary>
    public async Task<(bool IsCurrent, string? EndedReason)> CheckAsync(long userId, string? sessionId, string? stamp)
    {
        var session = string.IsNullOrEmpty(sessionId) ? null : await sessions.GetAsync(sessionId);
        return session is null ? (false, null) : (session.IsCurrent(userId, stamp, clock.GetUtcNow()), session.EndedReason);
    }

    /// <summary>Signing out ends every session of the account, on every server: a copied cookie is worth nothing after it.</summary>
    public async Task SignOutAsync(long userId, string userName)
    {
        var now = clock.GetUtcNow();
        await sessions.EndAllAsync(userId, now, SessionState.SignedOut, Entry(now, userId, userName, SessionState.SignedOut));
        notifier.Changed(userId);
    }

    /// <summary>
    /// A page left without activity signs its own session out, and only that one: the same person working on another
    /// device carries on. A copy of this session's cookie is worth nothing afterwards.
    /// </summary>
    public async Task SignOutIdleAsync(long userId, string userName, string? sessionId)
    {
        if (string.IsNullOrEmpty(sessionId))
        {
            return;
        }

        var now = clock.GetUtcNow();
        await sessions.EndAsync(userId, sessionId, now, SessionState.SignedOutIdle, Entry(now, userId, userName, SessionState.SignedOutIdle));
        notifier.Changed(userId);
    }

    private static AuditLogEntry Entry(DateTimeOffset now, long userId, string userName, string action) =>
        new(now, userId, userName, action, "user", userId.ToString(System.Globalization.CultureInfo.InvariantCulture), null, null);
}
