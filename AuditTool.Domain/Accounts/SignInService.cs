using AuditTool.Domain.Logging;

namespace AuditTool.Domain.Accounts;

public enum SignInOutcome
{
    Success,
    Failed,
    LockedOut,
    Disabled,
}

public sealed record SignInResult(SignInOutcome Outcome, User? User, string Message);

/// <summary>Checks a user name and password, counting failures: 5 in a row lock the account for 15 minutes.</summary>
public sealed class SignInService(IUserRepository users, IPasswordHasher hasher, IAuditLog log, TimeProvider clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    private const string FailedMessage = "The user name or password is not right.";

    private static string? _dummyHash;

    public async Task<SignInResult> SignInAsync(string? userName, string? password)
    {
        var now = clock.GetUtcNow();
        var name = (userName ?? string.Empty).Trim();
        if (name.Length == 0 || name.Length > User.MaxUserNameLength || string.IsNullOrEmpty(password) ||
            password.Length > PasswordRules.MaximumLength)
        {
            await LogAsync(now, null, name, "sign-in-failed", "missing or oversized user name or password");
            return new SignInResult(SignInOutcome.Failed, null, FailedMessage);
        }

        var user = await users.GetByUserNameAsync(name);
        if (user is null)
        {
            // Hash anyway so that an unknown name takes as long as a wrong password.
            _dummyHash ??= hasher.Hash(Guid.NewGuid().ToString("N"));
            hasher.Verify(_dummyHash, password, out _);
            await LogAsync(now, null, name, "sign-in-failed", "unknown user name");
            return new SignInResult(SignInOutcome.Failed, null, FailedMessage);
        }

        if (user.IsDisabled)
        {
            await LogAsync(now, user.Id, user.UserName, "sign-in-refused", "account disabled");
            return new SignInResult(SignInOutcome.Disabled, null, "This account has been disabled. Ask your administrator.");
        }

        if (user.IsLockedOut(now))
        {
            await LogAsync(now, user.Id, user.UserName, "sign-in-refused", "account locked");
            return new SignInResult(SignInOutcome.LockedOut, null, LockedMessage(user, now));
        }

        if (!hasher.Verify(user.PasswordHash, password, out var rehash))
        {
            user.RecordFailedSignIn(now, MaxFailures, LockoutDuration);
            await users.ReplaceAsync(user);
            var locked = user.IsLockedOut(now);
            await LogAsync(now, user.Id, user.UserName, "sign-in-failed", locked ? "wrong password; account locked" : "wrong password");
            return locked
                ? new SignInResult(SignInOutcome.LockedOut, null, LockedMessage(user, now))
                : new SignInResult(SignInOutcome.Failed, null, FailedMessage);
        }

        if (rehash)
        {
            user.SetPasswordHash(hasher.Hash(password));
        }

        user.RecordSuccessfulSignIn();
        await users.ReplaceAsync(user);
        await LogAsync(now, user.Id, user.UserName, "sign-in", null);
        return new SignInResult(SignInOutcome.Success, user, "Signed in.");
    }

    private static string LockedMessage(User user, DateTimeOffset now)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling((user.LockoutEndUtc!.Value - now).TotalMinutes));
        return $"Too many failed attempts: this account is locked. Try again in {minutes} minute{(minutes == 1 ? "" : "s")}.";
    }

    private Task LogAsync(DateTimeOffset now, long? userId, string userName, string action, string? detail) =>
        log.WriteAsync(new AuditLogEntry(now, userId, userName, action, "user", userId?.ToString(), null, detail));
}
