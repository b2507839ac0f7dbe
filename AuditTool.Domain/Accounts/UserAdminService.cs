using System.Text.Json;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;

namespace AuditTool.Domain.Accounts;

public sealed record NewUser(string UserName, string DisplayName, Role Role, long? AgencyId, string Password, string? Email = null);

public sealed record UserView(long Id, string UserName, string DisplayName, Role Role, long? AgencyId, string? AgencyName,
    bool IsDisabled, bool IsLockedOut, string? Email = null, DateTimeOffset? LastSignInUtc = null, string? LastSignInMethod = null,
    SecondFactorStatus? SecondFactor = null, int OpenSessions = 0, bool SecondFactorRequired = false, bool SafeguardingLead = false)
{
    /// <summary>The account's second factors in words ("authenticator app, 8 recovery codes", "none").</summary>
    public string SecondFactorText => SecondFactor is not { } f || (!f.Any && f.RecoveryCodesLeft == 0)
        ? (SecondFactorRequired ? "none (required: set up at next sign-in)" : "none")
        : string.Join(", ", new[]
        {
            f.AuthenticatorApp ? "authenticator app" : null,
            f.Passkeys > 0 ? $"{f.Passkeys} passkey{(f.Passkeys == 1 ? "" : "s")}" : null,
            f.RecoveryCodesLeft > 0 ? $"{f.RecoveryCodesLeft} recovery code{(f.RecoveryCodesLeft == 1 ? "" : "s")}" : null,
        }.Where(x => x is not null));

    /// <summary>How the account last signed in, in words.</summary>
    public string LastSignInMethodText => LastSignInMethod switch
    {
        null => "never signed in",
        var m => string.Join(" and ", m.Split('+').Select(part => part switch
        {
            "password" => "password",
            "authenticator" => "authenticator code",
            "recovery-code" => "recovery code",
            "passkey" => "passkey",
            var other when other.StartsWith("oidc:", StringComparison.Ordinal) => $"identity provider {other[5..]}",
            var other => other,
        })),
    };
}

/// <summary>Writes the "Sign-in and second factor" report (a spreadsheet).</summary>
public interface ISignInReportWriter
{
    Task WriteAsync(IReadOnlyList<UserView> accounts, DateTimeOffset madeUtc, Stream output);
}

/// <summary>Administrators manage accounts. The command line (the system actor) may create the first administrator.</summary>
public sealed class UserAdminService(
    IUserRepository users,
    IAgencyRepository agencies,
    IPasswordHasher hasher,
    AccessPolicy access,
    IAccountChangeNotifier notifier,
    ISessionRepository sessions,
    ISecondFactorRepository factors,
    SecondFactorSettings secondFactorSettings,
    ISignInReportWriter reportWriter,
    Logging.IAuditLog log,
    TimeProvider clock)
{
    public async Task<IReadOnlyList<UserView>> GetAllAsync(Actor actor)
    {
        await access.RequireAsync(actor, "users.list", Role.Administrator);
        var now = clock.GetUtcNow();
        var byId = (await agencies.GetAllAsync()).ToDictionary(a => a.Id);
        var lastSignIns = await users.GetLastSignInsAsync();
        var open = await sessions.CountOpenByUserAsync(now);
        var secondFactors = await factors.GetStatusesAsync();
        return (await users.GetAllAsync())
            .Select(u => new UserView(u.Id, u.UserName, u.DisplayName, u.Role, u.AgencyId,
                u.AgencyId is { } a && byId.TryGetValue(a, out var agency) ? agency.Name : null,
                u.IsDisabled, u.IsLockedOut(now), u.Email,
                lastSignIns.TryGetValue(u.Id, out var last) ? last.At : null, lastSignIns.TryGetValue(u.Id, out var l2) ? l2.Method : null,
                secondFactors.GetValueOrDefault(u.Id, new SecondFactorStatus(false, 0, 0)), open.GetValueOrDefault(u.Id),
                secondFactorSettings.IsRequired(u.Role), u.IsSafeguardingLead))
            .ToList();
    }

    /// <summary>The "Sign-in and second factor" report as a spreadsheet (the users page shows the same on screen); logged.</summary>
    public async Task<string> ExportSignInReportAsync(Actor actor, Stream output)
    {
        var accounts = await GetAllAsync(actor);
        var now = clock.GetUtcNow();
        await reportWriter.WriteAsync(accounts, now, output);
        await log.WriteAsync(new AuditLogEntry(now, actor.IsSystem ? null : actor.UserId, actor.UserName, "export", "sign-in-report", null, null,
            $"{accounts.Count} accounts"));
        return $"sign-in-and-second-factor-{now:yyyy-MM-dd}.xlsx";
    }

    /// <summary>Ends every session of an account now (a lost laptop, a shared computer left signed in): logged.</summary>
    public async Task<int> EndSessionsAsync(Actor actor, long userId)
    {
        await access.RequireAsync(actor, "users.end-sessions", Role.Administrator);
        var user = await GetAsync(userId);
        var now = clock.GetUtcNow();
        var ended = await sessions.EndAllAsync(user.Id, now, "ended by an administrator",
            new AuditLogEntry(now, actor.IsSystem ? null : actor.UserId, actor.UserName, "end-sessions", "user",
                user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), null, null));
        notifier.Changed(user.Id);
        return ended;
    }

    public async Task<long> CreateAsync(Actor actor, NewUser input)
    {
        await access.RequireAsync(actor, "users.create", Role.Administrator);
        var problems = new List<string>();
        if (!User.IsValidUserName(input.UserName))
        {
            problems.Add("A user name is 2 to 64 letters, digits, dots, hyphens or underscores.");
        }

        if ((input.DisplayName ?? string.Empty).Length > User.MaxDisplayNameLength)
        {
            problems.Add($"A display name is at most {User.MaxDisplayNameLength} characters.");
        }

        if (PasswordRules.Check(input.Password) is { } passwordProblem)
        {
            problems.Add(passwordProblem);
        }

        if (EmailAddress.Check(input.Email) is { } emailProblem)
        {
            problems.Add(emailProblem);
        }

        await CheckAgencyAsync(input.Role, input.AgencyId, problems);
        if (problems.Count > 0)
        {
            throw new DomainValidationException(problems);
        }

        var user = User.Create(input.UserName, input.DisplayName ?? string.Empty, input.Role, input.AgencyId,
            hasher.Hash(input.Password), clock.GetUtcNow(), input.Email);
        return await users.CreateAsync(user, Entry(actor, "create", 0, null, Describe(user)))
            ?? throw new DomainValidationException($"The user name '{user.UserName}' is already taken.");
    }

    public async Task AssignRoleAsync(Actor actor, long userId, Role role, long? agencyId)
    {
        await access.RequireAsync(actor, "users.assign-role", Role.Administrator);
        var user = await GetAsync(userId);
        var problems = new List<string>();
        await CheckAgencyAsync(role, agencyId, problems);
        if (user.Id == actor.UserId && role != Role.Administrator)
        {
            problems.Add("You cannot take the administrator role away from your own account.");
        }

        if (problems.Count > 0)
        {
            throw new DomainValidationException(problems);
        }

        var agency = User.AgencyFor(role, agencyId);
        await users.SetRoleAsync(user.Id, role, agency, clock.GetUtcNow(),
            Entry(actor, "update", user.Id, DescribeRole(user.Role, user.AgencyId), DescribeRole(role, agency)));
        notifier.Changed(user.Id);
    }

    /// <summary>Sets an account's e-mail address for reminders and notices; blank removes it. A bad address changes nothing.</summary>
    public async Task SetEmailAsync(Actor actor, long userId, string? email)
    {
        await access.RequireAsync(actor, "users.email", Role.Administrator);
        if (EmailAddress.Check(email) is { } problem)
        {
            throw new DomainValidationException(problem);
        }

        var user = await GetAsync(userId);
        var address = EmailAddress.Normalise(email);
        await users.SetEmailAsync(user.Id, address,
            Entry(actor, "update", user.Id, JsonSerializer.Serialize(new { email = user.Email }), JsonSerializer.Serialize(new { email = address })));
    }

    /// <summary>Flags a manager or auditor as their agency's safeguarding lead (or not); other roles cannot be leads.</summary>
    public async Task SetSafeguardingLeadAsync(Actor actor, long userId, bool lead)
    {
        await access.RequireAsync(actor, "users.safeguarding-lead", Role.Administrator);
        var user = await GetAsync(userId);
        if (lead && !user.Role.BelongsToAgency())
        {
            throw new DomainValidationException("Only an agency manager or an agency auditor can be a safeguarding lead.");
        }

        await users.SetSafeguardingLeadAsync(user.Id, lead, Entry(actor, "update", user.Id,
            JsonSerializer.Serialize(new { safeguardingLead = user.SafeguardingLeadFlag }), JsonSerializer.Serialize(new { safeguardingLead = lead })));
        notifier.Changed(user.Id);
    }

    public async Task SetDisabledAsync(Actor actor, long userId, bool disabled)
    {
        await access.RequireAsync(actor, disabled ? "users.disable" : "users.enable", Role.Administrator);
        var user = await GetAsync(userId);
        if (disabled && user.Id == actor.UserId)
        {
            throw new DomainValidationException("You cannot disable your own account.");
        }

        await users.SetDisabledAsync(user.Id, disabled, clock.GetUtcNow(), Entry(actor, disabled ? "disable" : "enable", user.Id,
            JsonSerializer.Serialize(new { disabled = user.IsDisabled }), JsonSerializer.Serialize(new { disabled })));
        notifier.Changed(user.Id);
    }

    public async Task ResetPasswordAsync(Actor actor, long userId, string newPassword)
    {
        await access.RequireAsync(actor, "users.reset-password", Role.Administrator);
        if (PasswordRules.Check(newPassword) is { } problem)
        {
            throw new DomainValidationException(problem);
        }

        var user = await GetAsync(userId);
        await users.SetPasswordHashAsync(user.Id, hasher.Hash(newPassword), clock.GetUtcNow(),
            Entry(actor, "reset-password", user.Id, null, "password reset"));
        notifier.Changed(user.Id);
    }

    private async Task<User> GetAsync(long userId) =>
        await users.GetByIdAsync(userId) ?? throw new DomainValidationException("That user does not exist.");

    private async Task CheckAgencyAsync(Role role, long? agencyId, List<string> problems)
    {
        if (!role.BelongsToAgency())
        {
            return;
        }

        if (agencyId is null)
        {
            problems.Add($"An {role.Label().ToLowerInvariant()} belongs to one agency: choose it.");
        }
        else if (await agencies.GetByIdAsync(agencyId.Value) is null)
        {
            problems.Add("The chosen agency does not exist.");
        }
    }

    private static string Describe(User user) => JsonSerializer.Serialize(new
    {
        userName = user.UserName,
        displayName = user.DisplayName,
        role = user.Role.ToKey(),
        agencyId = user.AgencyId,
        email = user.Email,
        disabled = user.IsDisabled,
    });

    private static string DescribeRole(Role role, long? agencyId) => JsonSerializer.Serialize(new { role = role.ToKey(), agencyId });

    private AuditLogEntry Entry(Actor actor, string action, long userId, string? before, string? after) =>
        new(clock.GetUtcNow(), actor.IsSystem ? null : actor.UserId, actor.UserName, action, "user",
            userId.ToString(System.Globalization.CultureInfo.InvariantCulture), before, after);
}
