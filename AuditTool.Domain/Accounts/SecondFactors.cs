using System.Security.Cryptography;
using System.Text;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;
using OtpNet;

namespace AuditTool.Domain.Accounts;

/// <summary><c>AuditTool:Mfa:RequiredRoles</c>: the roles that must use a second factor (<c>all</c>, <c>none</c>, or role keys).</summary>
public sealed record SecondFactorSettings(IReadOnlySet<Role> RequiredRoles)
{
    public static SecondFactorSettings Default { get; } = Parse("administrator,scrutineer");

    public bool IsRequired(Role role) => RequiredRoles.Contains(role);

    public static SecondFactorSettings Parse(string? setting)
    {
        var text = (setting ?? "administrator,scrutineer").Trim();
        if (text.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return new(Enum.GetValues<Role>().ToHashSet());
        }

        if (text.Length == 0 || text.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return new(new HashSet<Role>());
        }

        var roles = new HashSet<Role>();
        foreach (var key in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            roles.Add(Roles.Parse(key) ?? throw new ArgumentException(
                $"AuditTool:Mfa:RequiredRoles: '{key}' is not a role (administrator, scrutineer, auditor, manager, executive, or all or none)."));
        }

        return new(roles);
    }
}

/// <summary>Keeps a secret unreadable at rest (the web host uses its data protection key ring, shared by every server).</summary>
public interface ISecretProtector
{
    string Protect(string secret);

    /// <summary>Null when the text was not protected by this key ring (a copied database without its keys, say).</summary>
    string? Unprotect(string protectedSecret);
}

/// <param name="ProtectedSecret">The authenticator in use (or, before the first is confirmed, the one being set up).</param>
/// <param name="ProtectedPendingSecret">A new authenticator being set up while the confirmed one stays in use.</param>
public sealed record StoredTotp(string ProtectedSecret, DateTimeOffset? ConfirmedUtc, long LastUsedStep, string? ProtectedPendingSecret = null)
{
    /// <summary>The secret a set-up is confirmed against.</summary>
    public string BeingSetUp => ProtectedPendingSecret ?? ProtectedSecret;
}

/// <summary>Which second factors an account has.</summary>
public sealed record SecondFactorStatus(bool AuthenticatorApp, int RecoveryCodesLeft, int Passkeys)
{
    public bool Any => AuthenticatorApp || Passkeys > 0;
}

public interface ISecondFactorRepository
{
    Task<StoredTotp?> GetTotpAsync(long userId);

    /// <summary>A new, unconfirmed authenticator secret (replacing any that was never confirmed; a confirmed one stays until this is confirmed).</summary>
    Task SaveUnconfirmedTotpAsync(long userId, string protectedSecret, DateTimeOffset now);

    /// <summary>Confirms the secret and replaces the recovery codes, with the log line, in one transaction.</summary>
    Task ConfirmTotpAsync(long userId, long usedStep, IReadOnlyList<string> recoveryCodeHashes, DateTimeOffset now, AuditLogEntry log);

    /// <summary>Takes a time step's code once: true only if no code of this step or later was taken before (atomic).</summary>
    Task<bool> TakeTotpStepAsync(long userId, long step);

    /// <summary>Unused recovery codes: (id, hash).</summary>
    Task<IReadOnlyList<(long Id, string Hash)>> GetUnusedRecoveryCodesAsync(long userId);

    /// <summary>Marks a recovery code used: true only for the first caller (atomic).</summary>
    Task<bool> UseRecoveryCodeAsync(long id, DateTimeOffset now);

    Task<SecondFactorStatus> GetStatusAsync(long userId);

    /// <summary>Every account's second factors that has any.</summary>
    Task<IReadOnlyDictionary<long, SecondFactorStatus>> GetStatusesAsync();

    /// <summary>Removes every second factor of the account and ends its sessions, with the log line, in one transaction.</summary>
    Task ResetAsync(long userId, DateTimeOffset now, AuditLogEntry log);
}

/// <summary>A new authenticator app being set up: its key as text (to type) and as the URI its QR code carries.</summary>
public sealed record AuthenticatorSetUp(string Key, string Uri);

/// <summary>
/// Second factors of local accounts: authenticator-app codes (TOTP, RFC 6238: 30-second steps, 6 digits, one step of
/// drift either way, each step's code taken once), and ten one-time recovery codes kept as hashes. Passkeys are their
/// own service (they are also a way to sign in instead of the password).
/// </summary>
public sealed class SecondFactorService(
    ISecondFactorRepository factors,
    ISecretProtector protector,
    SecondFactorSettings settings,
    AccessPolicy access,
    IAccountChangeNotifier notifier,
    TimeProvider clock)
{
    public const int RecoveryCodeCount = 10;
    public const string Issuer = "AuditTool";

    public bool IsRequired(Role role) => settings.IsRequired(role);

    public Task<SecondFactorStatus> GetStatusAsync(long userId) => factors.GetStatusAsync(userId);

    /// <summary>Starts setting up an authenticator app: a fresh secret, kept unconfirmed until a code from it is given.</summary>
    public async Task<AuthenticatorSetUp> BeginAuthenticatorAsync(long userId, string userName)
    {
        var secret = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
        await factors.SaveUnconfirmedTotpAsync(userId, protector.Protect(secret), clock.GetUtcNow());
        return SetUp(secret, userName);
    }

    private static AuthenticatorSetUp SetUp(string secret, string userName) =>
        new(Grouped(secret), $"otpauth://totp/{Uri.EscapeDataString($"{Issuer}:{userName}")}?secret={secret}&issuer={Issuer}&algorithm=SHA1&digits=6&period=30");

    /// <summary>The authenticator being set up (after a wrong code, to show it again); null when none is.</summary>
    public async Task<AuthenticatorSetUp?> CurrentSetUpAsync(long userId, string userName)
    {
        var stored = await factors.GetTotpAsync(userId);
        return stored is null || (stored.ConfirmedUtc is not null && stored.ProtectedPendingSecret is null) ||
               protector.Unprotect(stored.BeingSetUp) is not { } secret
            ? null
            : SetUp(secret, userName);
    }

    /// <summary>
    /// Confirms the app being set up with a code it shows: the authenticator becomes the account's and ten new recovery
    /// codes are made, returned once (only their hashes are kept). Null when the code is not right.
    /// </summary>
    public async Task<IReadOnlyList<string>?> ConfirmAuthenticatorAsync(long userId, string userName, string? code)
    {
        var stored = await factors.GetTotpAsync(userId);
        if (stored is null || (stored.ConfirmedUtc is not null && stored.ProtectedPendingSecret is null) ||
            protector.Unprotect(stored.BeingSetUp) is not { } secret || Match(secret, code) is not { } step)
        {
            return null;
        }

        var codes = Enumerable.Range(0, RecoveryCodeCount).Select(_ => NewRecoveryCode()).ToList();
        var now = clock.GetUtcNow();
        await factors.ConfirmTotpAsync(userId, step, codes.Select(HashRecoveryCode).ToList(), now,
            new AuditLogEntry(now, userId, userName, "second-factor-set-up", "user", userId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                null, "authenticator app and recovery codes"));
        return codes;
    }

    /// <summary>
    /// Checks a code given at sign-in: an authenticator code (each step's code once: a code seen and used again is
    /// refused) or a recovery code (each once). Returns the method that passed, or null.
    /// </summary>
    public async Task<string?> VerifyAsync(long userId, string? code)
    {
        var text = (code ?? string.Empty).Trim();
        if (text.Length == 0 || text.Length > 64)
        {
            return null;
        }

        var stored = await factors.GetTotpAsync(userId);
        if (stored is { ConfirmedUtc: not null } && protector.Unprotect(stored.ProtectedSecret) is { } secret &&
            Match(secret, text) is { } step)
        {
            return await factors.TakeTotpStepAsync(userId, step) ? "authenticator" : null;
        }

        var hash = HashRecoveryCode(text);
        foreach (var (id, stored2) in await factors.GetUnusedRecoveryCodesAsync(userId))
        {
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored2), Encoding.ASCII.GetBytes(hash)))
            {
                return await factors.UseRecoveryCodeAsync(id, clock.GetUtcNow()) ? "recovery-code" : null;
            }
        }

        return null;
    }

    /// <summary>An administrator removes every second factor of an account (lost phone): its sessions end; logged.</summary>
    public async Task ResetAsync(Actor actor, long userId)
    {
        await access.RequireAsync(actor, "users.reset-second-factor", Role.Administrator);
        var now = clock.GetUtcNow();
        await factors.ResetAsync(userId, now, new AuditLogEntry(now, actor.IsSystem ? null : actor.UserId, actor.UserName,
            "reset-second-factor", "user", userId.ToString(System.Globalization.CultureInfo.InvariantCulture), null,
            "authenticator app, recovery codes and passkeys removed"));
        notifier.Changed(userId);
    }

    /// <summary>The time step whose code this is (now, or one step either side), or null.</summary>
    private long? Match(string base32Secret, string? code)
    {
        var digits = new string((code ?? string.Empty).Where(char.IsDigit).ToArray());
        if (digits.Length != 6 || digits.Length != (code ?? string.Empty).Count(c => !char.IsWhiteSpace(c)))
        {
            return null;
        }

        var totp = new Totp(Base32Encoding.ToBytes(base32Secret));
        return totp.VerifyTotp(clock.GetUtcNow().UtcDateTime, digits, out var step, new VerificationWindow(previous: 1, future: 1)) ? step : null;
    }

    private static string NewRecoveryCode()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        var chars = Enumerable.Range(0, 10).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]).ToArray();
        return $"{new string(chars, 0, 5)}-{new string(chars, 5, 5)}";
    }

    /// <summary>Recovery codes are long random strings: a SHA-256 of the code as typed (case, spaces and dashes aside).</summary>
    public static string HashRecoveryCode(string code)
    {
        var normal = new string(code.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normal)));
    }

    private static string Grouped(string key) =>
        string.Join(' ', Enumerable.Range(0, (key.Length + 3) / 4).Select(i => key.Substring(i * 4, Math.Min(4, key.Length - (i * 4)))));
}
