using AuditTool.Domain.Logging;

namespace AuditTool.Domain.Accounts;

public enum SignInOutcome
{
    Success,
    Failed,
    LockedOut,
    Disabled,

    /// <summary>The password was right; a code from the account's second factor is asked for next.</summary>
    SecondFactorNeeded,

    /// <summary>The password was right; the account's role needs a second factor and it has none: it is set up next.</summary>
    SecondFactorSetUpNeeded,
}

/// <summary>A sign-in that has passed its password and waits for its second factor (carried, protected, between pages).</summary>
public sealed record PendingSignIn(long UserId, string UserName, string SecurityStamp, string Method);

/// <summary>The outcome, the account and its new session (on success), what is pending, and what the person is told.</summary>
public sealed record SignInResult(SignInOutcome Outcome, User? User, string Message, NewSession? Session = null, PendingSignIn? Pending = null);

/// <summary>
/// Checks a user name and password, then the second factor where the account has one or its role needs one. Every
/// attempt (a password or a code) is counted in the database before it is checked: 5 in a row lock the account for 15
/// minutes, however many are sent at once. An unknown name, a wrong password and a locked account get the same answer,
/// after the same work, so the answer tells nobody which names exist. Only someone who gives the right password learns
/// that their account is disabled.
/// </summary>
public sealed class SignInService(
    IUserRepository users,
    IPasswordHasher hasher,
    ISecondFactorRepository factors,
    SecondFactorService secondFactors,
    PasskeyService passkeys,
    IAuditLog log,
    SessionSettings sessions,
    TimeProvider clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    public const string RefusedMessage =
        "The user name or password is not right, or the account is locked for 15 minutes after 5 failed attempts.";

    public const string DisabledMessage = "This account has been disabled. Ask your administrator.";

    public const string CodeRefusedMessage =
        "That code is not right, or it has been used already. After 5 failed attempts the account is locked for 15 minutes.";

    private static string? _dummyHash;

    public async Task<SignInResult> SignInAsync(string? userName, string? password)
    {
        var now = clock.GetUtcNow();
        var name = (userName ?? string.Empty).Trim();
        if (name.Length == 0 || name.Length > User.MaxUserNameLength || string.IsNullOrEmpty(password) ||
            password.Length > PasswordRules.MaximumLength)
        {
            await LogAsync(now, null, name, "sign-in-failed", "missing or oversized user name or password");
            return Refused(SignInOutcome.Failed);
        }

        var user = await users.GetByUserNameAsync(name);
        if (user is null)
        {
            // The same work as a wrong password, so that an unknown name takes as long.
            CheckAgainstDummy(password);
            await LogAsync(now, null, name, "sign-in-failed", "unknown user name");
            return Refused(SignInOutcome.Failed);
        }

        var attempt = await users.CountSignInAttemptAsync(user.Id, now, MaxFailures, now + LockoutDuration);
        if (attempt is null)
        {
            CheckAgainstDummy(password);
            await LogAsync(now, user.Id, user.UserName, "sign-in-refused", "account locked");
            return Refused(SignInOutcome.LockedOut);
        }

        if (!hasher.Verify(user.PasswordHash, password, out var rehash))
        {
            var locked = attempt >= MaxFailures;
            await LogAsync(now, user.Id, user.UserName, "sign-in-failed",
                $"wrong password (attempt {attempt} of {MaxFailures}){(locked ? "; account locked" : "")}");
            return Refused(locked ? SignInOutcome.LockedOut : SignInOutcome.Failed);
        }

        if (user.IsDisabled)
        {
            await LogAsync(now, user.Id, user.UserName, "sign-in-refused", "account disabled");
            return new SignInResult(SignInOutcome.Disabled, null, DisabledMessage);
        }

        if (rehash)
        {
            await users.UpgradePasswordHashAsync(user.Id, user.PasswordHash, hasher.Hash(password));
        }

        var pending = new PendingSignIn(user.Id, user.UserName, user.SecurityStamp, "password");
        var status = await factors.GetStatusAsync(user.Id);
        if (status.Any || secondFactors.IsRequired(user.Role))
        {
            await LogAsync(now, user.Id, user.UserName, "sign-in-password-accepted", status.Any ? "second factor asked for" : "second factor to set up");
            return new SignInResult(status.Any ? SignInOutcome.SecondFactorNeeded : SignInOutcome.SecondFactorSetUpNeeded, user,
                status.Any ? "Enter the code from your authenticator app, or a recovery code." : "Set up a second factor to carry on.",
                Pending: pending);
        }

        return await CompleteAsync(pending, pending.Method);
    }

    /// <summary>
    /// The second factor of a pending sign-in: the code is counted as an attempt before it is checked (as a password is),
    /// and a right one completes the sign-in.
    /// </summary>
    public async Task<SignInResult> SecondFactorAsync(PendingSignIn pending, string? code)
    {
        var now = clock.GetUtcNow();
        var attempt = await users.CountSignInAttemptAsync(pending.UserId, now, MaxFailures, now + LockoutDuration);
        if (attempt is null)
        {
            await LogAsync(now, pending.UserId, pending.UserName, "sign-in-refused", "account locked (second factor)");
            return new SignInResult(SignInOutcome.LockedOut, null, CodeRefusedMessage);
        }

        var method = await secondFactors.VerifyAsync(pending.UserId, code);
        if (method is null)
        {
            var locked = attempt >= MaxFailures;
            await LogAsync(now, pending.UserId, pending.UserName, "sign-in-failed",
                $"wrong second-factor code (attempt {attempt} of {MaxFailures}){(locked ? "; account locked" : "")}");
            return new SignInResult(locked ? SignInOutcome.LockedOut : SignInOutcome.Failed, null, CodeRefusedMessage);
        }

        return await CompleteAsync(pending, $"{pending.Method}+{method}");
    }

    /// <summary>
    /// The second factor of a pending sign-in given with a passkey: counted as an attempt before it is checked (as a
    /// code is), and only the pending account's own passkey completes the sign-in.
    /// </summary>
    public async Task<SignInResult> PasskeySecondFactorAsync(PendingSignIn pending, string? ceremonyId, string? assertionJson, PasskeySite site)
    {
        var now = clock.GetUtcNow();
        var attempt = await users.CountSignInAttemptAsync(pending.UserId, now, MaxFailures, now + LockoutDuration);
        if (attempt is null)
        {
            await LogAsync(now, pending.UserId, pending.UserName, "sign-in-refused", "account locked (passkey)");
            return new SignInResult(SignInOutcome.LockedOut, null, CodeRefusedMessage);
        }

        try
        {
            await passkeys.FinishAssertionAsync(pending.UserId, ceremonyId, assertionJson, site);
        }
        catch (PasskeyRefusedException ex)
        {
            var locked = attempt >= MaxFailures;
            await LogAsync(now, pending.UserId, pending.UserName, "sign-in-failed",
                $"passkey refused: {ex.Message} (attempt {attempt} of {MaxFailures}){(locked ? "; account locked" : "")}");
            return new SignInResult(locked ? SignInOutcome.LockedOut : SignInOutcome.Failed, null, ex.Message);
        }

        return await CompleteAsync(pending, $"{pending.Method}+passkey");
    }

    /// <summary>
    /// A sign-in with a passkey instead of the password: the passkey names its account, and the authenticator must have
    /// verified the person (PIN or biometric), so it stands as multi-factor on its own. A locked or disabled account is
    /// refused as a password sign-in would be.
    /// </summary>
    public async Task<SignInResult> PasskeySignInAsync(string? ceremonyId, string? assertionJson, PasskeySite site)
    {
        var now = clock.GetUtcNow();
        long userId;
        try
        {
            var (owner, verified) = await passkeys.FinishAssertionAsync(null, ceremonyId, assertionJson, site);
            if (!verified)
            {
                throw new PasskeyRefusedException("The passkey did not check who you are (a PIN or fingerprint). Sign in with your password.");
            }

            userId = owner;
        }
        catch (PasskeyRefusedException ex)
        {
            await LogAsync(now, null, "", "sign-in-failed", $"passkey refused: {ex.Message}");
            return new SignInResult(SignInOutcome.Failed, null, ex.Message);
        }

        var user = await users.GetByIdAsync(userId);
        if (user is null || await users.CountSignInAttemptAsync(user.Id, now, MaxFailures, now + LockoutDuration) is null)
        {
            await LogAsync(now, user?.Id, user?.UserName ?? "", "sign-in-refused", "account locked (passkey)");
            return Refused(SignInOutcome.LockedOut);
        }

        if (user.IsDisabled)
        {
            await LogAsync(now, user.Id, user.UserName, "sign-in-refused", "account disabled");
            return new SignInResult(SignInOutcome.Disabled, null, DisabledMessage);
        }

        return await CompleteAsync(new PendingSignIn(user.Id, user.UserName, user.SecurityStamp, "passkey"), "passkey");
    }

    /// <summary>
    /// A sign-in whose account had to set up a second factor first: it completes only once the account has one.
    /// </summary>
    public async Task<SignInResult> CompleteAfterSetUpAsync(PendingSignIn pending)
    {
        var status = await factors.GetStatusAsync(pending.UserId);
        return status.Any
            ? await CompleteAsync(pending, $"{pending.Method}+{(status.AuthenticatorApp ? "authenticator" : "passkey")}")
            : new SignInResult(SignInOutcome.SecondFactorSetUpNeeded, null, "Set up a second factor to carry on.", Pending: pending);
    }

    /// <summary>
    /// Records the session of a sign-in whose checks have all passed (a password, a second factor, a passkey, an identity
    /// provider), only if the account is still as it was when its first check passed.
    /// </summary>
    public async Task<SignInResult> CompleteAsync(PendingSignIn pending, string method)
    {
        var now = clock.GetUtcNow();
        var session = NewSession.Start(now, sessions, method);
        var current = await users.CompleteSignInAsync(pending.UserId, pending.SecurityStamp, session,
            new AuditLogEntry(now, pending.UserId, pending.UserName, "sign-in", "user",
                pending.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture), null, method));
        if (current is null)
        {
            // Disabled, or its password or role changed while this sign-in was checked: the account as it is now decides.
            var latest = await users.GetByIdAsync(pending.UserId);
            if (latest is { IsDisabled: true })
            {
                await LogAsync(now, pending.UserId, pending.UserName, "sign-in-refused", "account disabled");
                return new SignInResult(SignInOutcome.Disabled, null, DisabledMessage);
            }

            await LogAsync(now, pending.UserId, pending.UserName, "sign-in-refused", "the account changed while it was signing in");
            return Refused(SignInOutcome.Failed);
        }

        return new SignInResult(SignInOutcome.Success, current, "Signed in.", session);
    }

    private static SignInResult Refused(SignInOutcome outcome) => new(outcome, null, RefusedMessage);

    private void CheckAgainstDummy(string password)
    {
        _dummyHash ??= hasher.Hash(Guid.NewGuid().ToString("N"));
        hasher.Verify(_dummyHash, password, out _);
    }

    private Task LogAsync(DateTimeOffset now, long? userId, string userName, string action, string? detail) =>
        log.WriteAsync(new AuditLogEntry(now, userId, userName, action, "user", userId?.ToString(System.Globalization.CultureInfo.InvariantCulture), null, detail));
}
