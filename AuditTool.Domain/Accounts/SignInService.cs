using AuditTool.Domain.Logging;

namespace AuditTool.Domain.Accounts;

public enum SignInOutcome
{
    Success,
    Failed,
    LockedOut,
    Disabled,
}

/// <summary>The outcome, the account and its new session (on success), and what the person is told.</summary>
public sealed record SignInResult(SignInOutcome Outcome, User? User, string Message, NewSession? Session = null);

/// <summary>
/// Checks a user name and password. Every attempt is counted in the database before its password is checked: 5 in a row
/// lock the account for 15 minutes, however many are sent at once. An unknown name, a wrong password and a locked
/// account get the same answer, after the same work, so the answer tells nobody which names exist. Only someone who
/// gives the right password learns that their account is disabled.
/// </summary>
public sealed class SignInService(IUserRepository users, IPasswordHasher hasher, IAuditLog log, SessionSettings sessions, TimeProvider clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    public const string RefusedMessage =
        "The user name or password is not right, or the account is locked for 15 minutes after 5 failed attempts.";

    public const string DisabledMessage = "This account has been disabled. Ask your administrator.";

    private static string? _dummyHash;

    public async Task<SignInResult> SignInAsync(string? userName, string? password, string method = "password")
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

        var session = NewSession.Start(now, sessions, method);
        var current = await users.CompleteSignInAsync(user.Id, user.PasswordHash, rehash ? hasher.Hash(password) : null, session,
            new AuditLogEntry(now, user.Id, user.UserName, "sign-in", "user", user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                null, method));
        if (current is null)
        {
            // Disabled, or its password changed while this one was being checked: the account as it is now decides.
            var latest = await users.GetByIdAsync(user.Id);
            if (latest is { IsDisabled: true })
            {
                await LogAsync(now, user.Id, user.UserName, "sign-in-refused", "account disabled");
                return new SignInResult(SignInOutcome.Disabled, null, DisabledMessage);
            }

            await LogAsync(now, user.Id, user.UserName, "sign-in-refused", "password changed while it was checked");
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
