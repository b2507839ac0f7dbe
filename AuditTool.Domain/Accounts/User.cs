using System.Text.RegularExpressions;
using AuditTool.Domain.Security;

namespace AuditTool.Domain.Accounts;

/// <summary>
/// An account as read from the database. It has no setters of its own: each change to an account is its own repository
/// call writing only its own columns (<see cref="IUserRepository"/>).
/// </summary>
public sealed partial class User
{
    public const int MaxUserNameLength = 64;
    public const int MaxDisplayNameLength = 200;

    private User()
    {
        UserName = string.Empty;
        DisplayName = string.Empty;
        PasswordHash = string.Empty;
        SecurityStamp = string.Empty;
    }

    public long Id { get; private set; }

    public string UserName { get; private set; }

    public string DisplayName { get; private set; }

    public Role Role { get; private set; }

    public long? AgencyId { get; private set; }

    public string PasswordHash { get; private set; }

    public bool IsDisabled { get; private set; }

    public int FailedSignIns { get; private set; }

    public DateTimeOffset? LockoutEndUtc { get; private set; }

    /// <summary>Changes whenever the account's access changes; open sessions holding an old stamp end.</summary>
    public string SecurityStamp { get; private set; }

    public DateTimeOffset CreatedUtc { get; private set; }

    /// <summary>Where reminders and notices go; null when the account has none (it then gets no e-mail).</summary>
    public string? Email { get; private set; }

    /// <summary>The flag as stored (set by administrators on the users page).</summary>
    public bool SafeguardingLeadFlag { get; private set; }

    /// <summary>A manager or auditor flagged as their agency's safeguarding lead: receives the concerns raised on that
    /// agency's cases. The flag counts only while the account has an agency role and is enabled.</summary>
    public bool IsSafeguardingLead => SafeguardingLeadFlag && Role.BelongsToAgency() && AgencyId is not null && !IsDisabled;

    public static User Create(string userName, string displayName, Role role, long? agencyId, string passwordHash, DateTimeOffset createdUtc,
        string? email = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        ArgumentException.ThrowIfNullOrWhiteSpace(passwordHash);
        var name = userName.Trim();
        if (!UserNamePattern().IsMatch(name))
        {
            throw new ArgumentException("A user name is 2 to 64 letters, digits, dots, hyphens or underscores.", nameof(userName));
        }

        CheckAgency(role, agencyId);
        var display = string.IsNullOrWhiteSpace(displayName) ? name : displayName.Trim();
        if (display.Length > MaxDisplayNameLength)
        {
            throw new ArgumentException($"A display name is at most {MaxDisplayNameLength} characters.", nameof(displayName));
        }

        if (EmailAddress.Check(email) is { } emailProblem)
        {
            throw new ArgumentException(emailProblem, nameof(email));
        }

        return new User
        {
            Email = EmailAddress.Normalise(email),
            UserName = name,
            DisplayName = display,
            Role = role,
            AgencyId = role.BelongsToAgency() ? agencyId : null,
            PasswordHash = passwordHash,
            SecurityStamp = NewStamp(),
            CreatedUtc = createdUtc,
        };
    }

    /// <summary>Rebuilds a stored user (repositories only).</summary>
    public static User Load(long id, string userName, string displayName, Role role, long? agencyId, string passwordHash,
        bool isDisabled, int failedSignIns, DateTimeOffset? lockoutEndUtc, string securityStamp, DateTimeOffset createdUtc,
        string? email = null, bool safeguardingLead = false) =>
        new()
        {
            Email = email,
            SafeguardingLeadFlag = safeguardingLead,
            Id = id,
            UserName = userName,
            DisplayName = displayName,
            Role = role,
            AgencyId = agencyId,
            PasswordHash = passwordHash,
            IsDisabled = isDisabled,
            FailedSignIns = failedSignIns,
            LockoutEndUtc = lockoutEndUtc,
            SecurityStamp = securityStamp,
            CreatedUtc = createdUtc,
        };

    public static bool IsValidUserName(string? userName) => userName is not null && UserNamePattern().IsMatch(userName.Trim());

    public bool IsLockedOut(DateTimeOffset now) => LockoutEndUtc is { } end && end > now;

    /// <summary>A fresh security stamp: written whenever the account's access changes.</summary>
    public static string NewStamp() => Guid.NewGuid().ToString("N");

    /// <summary>The agency a role keeps: auditors and managers belong to one, the other roles to none.</summary>
    public static long? AgencyFor(Role role, long? agencyId)
    {
        CheckAgency(role, agencyId);
        return role.BelongsToAgency() ? agencyId : null;
    }

    private static void CheckAgency(Role role, long? agencyId)
    {
        if (role.BelongsToAgency() && agencyId is null)
        {
            throw new ArgumentException($"An {role.Label().ToLowerInvariant()} belongs to one agency: choose it.", nameof(agencyId));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{2,64}$")]
    private static partial Regex UserNamePattern();
}
