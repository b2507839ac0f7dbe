using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;

namespace AuditTool.Domain.Accounts;

/// <summary>
/// Accounts. No method writes a whole row: each change writes only the columns it owns, in one statement or one
/// transaction with its audit-log line, so a sign-in in flight can never undo a disable, a password reset or a role
/// change made meanwhile (and the other way round). Changes that alter access end the account's sessions in the same
/// transaction.
/// </summary>
public interface IUserRepository
{
    Task<User?> GetByIdAsync(long id);

    Task<User?> GetByUserNameAsync(string userName);

    Task<IReadOnlyList<User>> GetAllAsync();

    /// <summary>The accounts with this e-mail address, compared without regard to case.</summary>
    Task<IReadOnlyList<User>> GetManyByEmailAsync(string email);

    Task<int> CountAsync();

    /// <summary>Creates the user and writes its log line (entity id filled in); null when the user name is taken (nothing written).</summary>
    Task<long?> CreateAsync(User user, AuditLogEntry? log = null);

    /// <summary>
    /// Counts one sign-in attempt before its password is checked, atomically in the database: null when the account is
    /// locked (nothing counted). The attempt that reaches <paramref name="maxFailures"/> in a row locks the account until
    /// <paramref name="lockedUntil"/>, whatever its password turns out to be; a right password then unlocks it.
    /// Attempts sent in parallel are counted one by one, so no more than <paramref name="maxFailures"/> passwords are
    /// ever checked before the lock.
    /// </summary>
    Task<int?> CountSignInAttemptAsync(long userId, DateTimeOffset now, int maxFailures, DateTimeOffset lockedUntil);

    /// <summary>
    /// A sign-in that passed every check: the failure count is cleared, the last sign-in noted, the session recorded and
    /// the line logged, in one transaction, only while the account is enabled and its security stamp is still
    /// <paramref name="checkedStamp"/> (the one seen when the password was checked: a disable, a password reset or a role
    /// change meanwhile changes it). Returns the account as it is now (for the session's claims), or null (nothing written).
    /// </summary>
    Task<User?> CompleteSignInAsync(long userId, string checkedStamp, NewSession session, AuditLogEntry log);

    /// <summary>Replaces the password hash with a stronger one, only if it is still the one the password was checked against.</summary>
    Task UpgradePasswordHashAsync(long userId, string checkedHash, string upgradedHash);

    /// <summary>When each account last signed in, and how (for the users page, the report and unused accounts).</summary>
    Task<IReadOnlyDictionary<long, (DateTimeOffset At, string Method)>> GetLastSignInsAsync();

    /// <summary>Role and agency; ends the account's sessions.</summary>
    Task<bool> SetRoleAsync(long userId, Role role, long? agencyId, DateTimeOffset now, AuditLogEntry log);

    Task<bool> SetEmailAsync(long userId, string? email, AuditLogEntry log);

    /// <summary>The safeguarding lead flag (column only), with its log line.</summary>
    Task<bool> SetSafeguardingLeadAsync(long userId, bool lead, AuditLogEntry log);

    /// <summary>Disabling ends the account's sessions; enabling also clears its failure count and lock.</summary>
    Task<bool> SetDisabledAsync(long userId, bool disabled, DateTimeOffset now, AuditLogEntry log);

    /// <summary>A new password hash; clears the failure count and lock and ends the account's sessions.</summary>
    Task<bool> SetPasswordHashAsync(long userId, string passwordHash, DateTimeOffset now, AuditLogEntry log);
}

/// <summary>Hashing lives outside the domain (ASP.NET Core's PasswordHasher in the web project).</summary>
public interface IPasswordHasher
{
    string Hash(string password);

    /// <summary>True when the password matches; <paramref name="rehash"/> is set when the stored hash should be upgraded.</summary>
    bool Verify(string hash, string password, out bool rehash);
}
