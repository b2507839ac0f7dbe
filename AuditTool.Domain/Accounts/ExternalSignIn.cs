using AuditTool.Domain.Agencies;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;

namespace AuditTool.Domain.Accounts;

/// <summary>What an identity provider said about the person, after its token was validated (signature, issuer, nonce).</summary>
/// <param name="Provider">The provider's short name in the settings.</param>
/// <param name="MultiFactor">The provider said the person used more than a password (its <c>amr</c> claim).</param>
public sealed record ExternalIdentity(string Provider, string Issuer, string Subject, string? Email, bool EmailVerified, string? Name,
    bool MultiFactor, IReadOnlyList<string> Groups);

/// <summary>One provider's rules for its sign-ins (AuditTool:Oidc:Providers:NAME).</summary>
/// <param name="EnforcesMfa">The provider itself requires a second factor of everyone it signs in.</param>
/// <param name="AutoCreate">An account is created for a person the provider signs in who has none (off unless set).</param>
/// <param name="GroupRoles">Group claim values and the role each gives an account created here.</param>
public sealed record ExternalProviderRules(string Name, string DisplayName, bool EnforcesMfa, bool AutoCreate, Role? DefaultRole,
    string? DefaultAgency, IReadOnlyDictionary<string, Role> GroupRoles);

/// <summary>An account's link to a person at an identity provider: by issuer and subject, never by name.</summary>
public interface IExternalLoginRepository
{
    Task<long?> FindUserIdAsync(string issuer, string subject);

    /// <summary>The issuers the account is linked to already.</summary>
    Task<IReadOnlyList<string>> GetIssuersAsync(long userId);

    /// <summary>Links, with its log line, in one transaction; false when that issuer and subject are linked already.</summary>
    Task<bool> LinkAsync(string issuer, string subject, long userId, string provider, DateTimeOffset now, AuditLogEntry log);

    Task TouchAsync(string issuer, string subject, DateTimeOffset now);
}

/// <summary>
/// Signs a person in from what their organisation's identity provider says. An account is found by the provider's
/// issuer and subject; the first time, by the e-mail address an administrator gave the account, only when the provider
/// says it verified that address; no account is created unless the provider's settings say so. The provider's sign-in
/// counts as the second factor when it says a second factor was used, or is known to require one; otherwise the
/// account's own second factor is asked for as after a password.
/// </summary>
public sealed class ExternalSignInService(
    IUserRepository users,
    IExternalLoginRepository logins,
    IAgencyRepository agencies,
    ISecondFactorRepository factors,
    SecondFactorService secondFactors,
    SignInService signIn,
    IPasswordHasher hasher,
    IAuditLog log,
    TimeProvider clock)
{
    public async Task<SignInResult> SignInAsync(ExternalIdentity identity, ExternalProviderRules rules)
    {
        var now = clock.GetUtcNow();
        if (string.IsNullOrWhiteSpace(identity.Issuer) || string.IsNullOrWhiteSpace(identity.Subject) || identity.Issuer == "LOCAL AUTHORITY")
        {
            await LogAsync(now, null, identity, "sign-in-refused", "the provider's answer named no issuer or subject");
            return Refused($"Signing in through {rules.DisplayName} did not complete. Ask your administrator.");
        }

        var userId = await logins.FindUserIdAsync(identity.Issuer, identity.Subject);
        User? user;
        if (userId is { } id)
        {
            user = await users.GetByIdAsync(id);
        }
        else
        {
            if (identity.Email is not { Length: > 0 } email || !identity.EmailVerified)
            {
                await LogAsync(now, null, identity, "sign-in-refused", "the provider did not confirm the e-mail address");
                return Refused($"{rules.DisplayName} did not confirm your e-mail address, so it cannot be matched to an AuditTool account. " +
                               "Ask your administrator.");
            }

            var matches = await users.GetManyByEmailAsync(email);
            if (matches.Count > 1)
            {
                await LogAsync(now, null, identity, "sign-in-refused", "several accounts have this e-mail address");
                return Refused($"More than one AuditTool account has the address {email}. Ask your administrator to give each account its own address.");
            }

            user = matches.Count == 1 ? matches[0] : await CreateAsync(identity, rules, email, now);
            if (user is null)
            {
                await LogAsync(now, null, identity, "sign-in-refused", "no account has this e-mail address");
                return Refused($"There is no AuditTool account for {email}. Ask your administrator to create one: signing in through " +
                               $"{rules.DisplayName} does not create accounts.");
            }

            if ((await logins.GetIssuersAsync(user.Id)).Contains(identity.Issuer, StringComparer.Ordinal))
            {
                // The account is someone else's at this provider already: an address alone does not move it.
                await LogAsync(now, user.Id, identity, "sign-in-refused", "the account is linked to another person at this provider");
                return Refused($"The AuditTool account for {email} is linked to another person at {rules.DisplayName}. Ask your administrator.");
            }

            await logins.LinkAsync(identity.Issuer, identity.Subject, user.Id, identity.Provider, now,
                new AuditLogEntry(now, user.Id, user.UserName, "link-sign-in", "user", user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    null, $"{identity.Provider} ({identity.Issuer})"));
        }

        if (user is null)
        {
            return Refused("That account no longer exists. Ask your administrator.");
        }

        if (user.IsDisabled)
        {
            await LogAsync(now, user.Id, identity, "sign-in-refused", "account disabled");
            return new SignInResult(SignInOutcome.Disabled, null, SignInService.DisabledMessage);
        }

        await logins.TouchAsync(identity.Issuer, identity.Subject, now);
        var method = $"oidc:{identity.Provider}";
        var pending = new PendingSignIn(user.Id, user.UserName, user.SecurityStamp, method);
        if (rules.EnforcesMfa || identity.MultiFactor)
        {
            return await signIn.CompleteAsync(pending, $"{method}+mfa");
        }

        var status = await factors.GetStatusAsync(user.Id);
        if (status.Any)
        {
            return new SignInResult(SignInOutcome.SecondFactorNeeded, user, "Enter the code from your authenticator app, or a recovery code.", Pending: pending);
        }

        return secondFactors.IsRequired(user.Role)
            ? new SignInResult(SignInOutcome.SecondFactorSetUpNeeded, user, "Set up a second factor to carry on.", Pending: pending)
            : await signIn.CompleteAsync(pending, method);
    }

    private async Task<User?> CreateAsync(ExternalIdentity identity, ExternalProviderRules rules, string email, DateTimeOffset now)
    {
        if (!rules.AutoCreate)
        {
            return null;
        }

        var role = identity.Groups.Select(g => rules.GroupRoles.TryGetValue(g, out var r) ? r : (Role?)null).FirstOrDefault(r => r is not null)
                   ?? rules.DefaultRole;
        if (role is not { } chosen)
        {
            return null;
        }

        long? agencyId = null;
        if (chosen.BelongsToAgency())
        {
            agencyId = rules.DefaultAgency is { } key ? (await agencies.GetByKeyAsync(key))?.Id : null;
            if (agencyId is null)
            {
                return null;
            }
        }

        // A password nobody knows: the account signs in through its provider (an administrator can set one later).
        var userName = UserNameFrom(email);
        var user = User.Create(userName, identity.Name ?? email, chosen, agencyId, hasher.Hash(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))),
            now, email);
        var created = await users.CreateAsync(user, new AuditLogEntry(now, null, identity.Provider, "create", "user", null, null,
            $"{userName} ({chosen.ToKey()}), created at the first sign-in through {identity.Provider}"));
        return created is { } newId ? await users.GetByIdAsync(newId) : null;
    }

    private static string UserNameFrom(string email)
    {
        var name = new string(email.Trim().ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '.').ToArray());
        return name.Length > User.MaxUserNameLength ? name[..User.MaxUserNameLength] : name;
    }

    private static SignInResult Refused(string message) => new(SignInOutcome.Failed, null, message);

    private Task LogAsync(DateTimeOffset now, long? userId, ExternalIdentity identity, string action, string detail) =>
        log.WriteAsync(new AuditLogEntry(now, userId, identity.Email ?? identity.Subject, action, "user",
            userId?.ToString(System.Globalization.CultureInfo.InvariantCulture), null, $"{detail} ({identity.Provider})"));
}
