using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;
using Fido2NetLib;
using Fido2NetLib.Objects;

namespace AuditTool.Domain.Accounts;

/// <summary>
/// Where passkeys belong: the relying party id (the site's host name, as browsers reach it) and the origin a browser
/// must report (<c>https://audit.partnership.example</c>). A passkey made for one site never signs in to another.
/// </summary>
public sealed record PasskeySite(string RelyingPartyId, string Origin);

/// <summary>A passkey of an account, as stored: its credential id, public key (COSE) and user handle as base64url.</summary>
public sealed record StoredPasskey(long Id, long UserId, string CredentialId, string PublicKey, string UserHandle, uint SignCount, string Name,
    DateTimeOffset CreatedUtc, DateTimeOffset? LastUsedUtc);

/// <summary>A passkey as its owner sees it on their account page.</summary>
public sealed record PasskeyInfo(long Id, string Name, DateTimeOffset CreatedUtc, DateTimeOffset? LastUsedUtc);

/// <summary>A ceremony handed to the browser: its id (to answer with) and the options for <c>navigator.credentials</c>, as JSON.</summary>
public sealed record PasskeyCeremony(string Id, string OptionsJson);

/// <summary>What a ceremony is for.</summary>
public static class PasskeyPurposes
{
    public const string Register = "register";
    public const string SecondFactor = "second-factor";
    public const string SignIn = "sign-in";
}

/// <summary>A passkey answer that does not hold (expired, replayed, another account's, a counter gone back): nothing changed.</summary>
public sealed class PasskeyRefusedException(string message) : Exception(message);

public interface IPasskeyRepository
{
    Task<IReadOnlyList<StoredPasskey>> GetByUserAsync(long userId);

    Task<StoredPasskey?> GetByCredentialIdAsync(string credentialId);

    /// <summary>Adds the passkey with its log line in one transaction; false when the credential is already registered.</summary>
    Task<bool> AddAsync(StoredPasskey passkey, AuditLogEntry log);

    /// <summary>Records a use: the counter moves from <paramref name="fromCount"/> only (guarded), so two answers racing are one.</summary>
    Task<bool> RecordUseAsync(long id, uint fromCount, uint toCount, DateTimeOffset now);

    /// <summary>Removes one of the account's passkeys with its log line in one transaction; false when it is not the account's.</summary>
    Task<bool> RemoveAsync(long userId, long passkeyId, AuditLogEntry log);

    /// <summary>Keeps a ceremony until it expires (and sweeps the expired).</summary>
    Task SaveCeremonyAsync(string id, string purpose, long? userId, string optionsJson, DateTimeOffset expiresUtc, DateTimeOffset now);

    /// <summary>Takes a ceremony back, once: it is deleted as it is read; null when it is unknown, taken or expired.</summary>
    Task<(string Purpose, long? UserId, string OptionsJson)?> TakeCeremonyAsync(string id, DateTimeOffset now);
}

/// <summary>
/// Passkeys (WebAuthn, the Fido2 library): registered by their owner (while setting up a second factor at sign-in, or on
/// their account page), used as the second factor after a password, or instead of the password (a discoverable
/// passkey with user verification: something held and a PIN or biometric, so multi-factor on its own). Every challenge
/// is taken once; the signature counter only moves on; a passkey answers only for its own account.
/// </summary>
public sealed class PasskeyService(IPasskeyRepository store, IUserRepository users, AccessPolicy access, TimeProvider clock)
{
    public const int MaxNameLength = 100;
    public static readonly TimeSpan CeremonyLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The options to register a new passkey for the account (its other passkeys excluded, so one authenticator holds one).</summary>
    public async Task<PasskeyCeremony> BeginRegistrationAsync(long userId, PasskeySite site)
    {
        var user = await users.GetByIdAsync(userId) ?? throw new PasskeyRefusedException("That account does not exist.");
        var existing = await store.GetByUserAsync(userId);
        var handle = existing.Count > 0 ? Decode(existing[0].UserHandle) : RandomNumberGenerator.GetBytes(32);
        var options = Fido(site).RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User { Id = handle, Name = user.UserName, DisplayName = user.DisplayName },
            ExcludeCredentials = existing.Select(p => new PublicKeyCredentialDescriptor(Decode(p.CredentialId))).ToList(),
            AuthenticatorSelection = new AuthenticatorSelection
            {
                ResidentKey = ResidentKeyRequirement.Required,
                UserVerification = UserVerificationRequirement.Required,
            },
            AttestationPreference = AttestationConveyancePreference.None,
        });
        return await KeepAsync(PasskeyPurposes.Register, userId, options.ToJson());
    }

    /// <summary>Registers the passkey the browser made for the ceremony. Logged.</summary>
    public async Task FinishRegistrationAsync(long userId, string? ceremonyId, string? attestationJson, string? name, PasskeySite site)
    {
        var now = clock.GetUtcNow();
        var ceremony = await TakeAsync(ceremonyId, PasskeyPurposes.Register, now);
        if (ceremony.UserId != userId)
        {
            throw new PasskeyRefusedException("This passkey was started for another account. Start again.");
        }

        var label = string.IsNullOrWhiteSpace(name) ? $"Passkey added {now.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"))}" : name.Trim();
        if (label.Length > MaxNameLength)
        {
            throw new PasskeyRefusedException($"A passkey's name is at most {MaxNameLength} characters.");
        }

        var response = Parse<AuthenticatorAttestationRawResponse>(attestationJson);
        RegisteredPublicKeyCredential made;
        try
        {
            made = await Fido(site).MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = response,
                OriginalOptions = CredentialCreateOptions.FromJson(ceremony.OptionsJson),
                IsCredentialIdUniqueToUserCallback = async (p, _) => await store.GetByCredentialIdAsync(Encode(p.CredentialId)) is null,
            });
        }
        catch (Fido2VerificationException ex)
        {
            throw new PasskeyRefusedException($"The passkey could not be checked: {ex.Message}");
        }

        var user = await users.GetByIdAsync(userId) ?? throw new PasskeyRefusedException("That account does not exist.");
        var passkey = new StoredPasskey(0, userId, Encode(made.Id), Encode(made.PublicKey), Encode(made.User.Id), made.SignCount, label, now, null);
        if (!await store.AddAsync(passkey, new AuditLogEntry(now, userId, user.UserName, "add-passkey", "user",
                userId.ToString(CultureInfo.InvariantCulture), null, JsonSerializer.Serialize(new { name = label }))))
        {
            throw new PasskeyRefusedException("That passkey is registered already.");
        }
    }

    /// <summary>
    /// The options to answer with a passkey: for a pending sign-in's second factor, its account's passkeys; to sign in
    /// without a password (<paramref name="userId"/> null), any passkey of this site the authenticator holds.
    /// </summary>
    public async Task<PasskeyCeremony> BeginAssertionAsync(long? userId, PasskeySite site)
    {
        var allowed = userId is { } id
            ? (await store.GetByUserAsync(id)).Select(p => new PublicKeyCredentialDescriptor(Decode(p.CredentialId))).ToList()
            : [];
        if (userId is not null && allowed.Count == 0)
        {
            throw new PasskeyRefusedException("This account has no passkey. Enter a code instead.");
        }

        var options = Fido(site).GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = allowed,
            UserVerification = userId is null ? UserVerificationRequirement.Required : UserVerificationRequirement.Preferred,
        });
        return await KeepAsync(userId is null ? PasskeyPurposes.SignIn : PasskeyPurposes.SecondFactor, userId, options.ToJson());
    }

    /// <summary>
    /// Checks the browser's answer to an assertion ceremony and returns the account whose passkey it was, with whether the
    /// person was verified by the authenticator (PIN or biometric). For a second factor the passkey must be the pending
    /// account's own.
    /// </summary>
    public async Task<(long UserId, bool Verified)> FinishAssertionAsync(long? expectedUserId, string? ceremonyId, string? assertionJson, PasskeySite site)
    {
        var now = clock.GetUtcNow();
        var ceremony = await TakeAsync(ceremonyId, expectedUserId is null ? PasskeyPurposes.SignIn : PasskeyPurposes.SecondFactor, now);
        if (ceremony.UserId != expectedUserId)
        {
            throw new PasskeyRefusedException("This passkey check was started for another sign-in. Start again.");
        }

        var response = Parse<AuthenticatorAssertionRawResponse>(assertionJson);
        var stored = await store.GetByCredentialIdAsync(Encode(response.RawId ?? []))
            ?? throw new PasskeyRefusedException("This passkey is not registered here (it may have been removed).");
        if (expectedUserId is { } expected && stored.UserId != expected)
        {
            throw new PasskeyRefusedException("This passkey belongs to another account.");
        }

        VerifyAssertionResult result;
        try
        {
            result = await Fido(site).MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = response,
                OriginalOptions = AssertionOptions.FromJson(ceremony.OptionsJson),
                StoredPublicKey = Decode(stored.PublicKey),
                StoredSignatureCounter = stored.SignCount,
                IsUserHandleOwnerOfCredentialIdCallback = (p, _) =>
                    Task.FromResult(Encode(p.UserHandle) == stored.UserHandle && Encode(p.CredentialId) == stored.CredentialId),
            });
        }
        catch (Fido2VerificationException ex)
        {
            throw new PasskeyRefusedException($"The passkey's answer does not hold: {ex.Message}");
        }

        if (!await store.RecordUseAsync(stored.Id, stored.SignCount, result.SignCount, now))
        {
            throw new PasskeyRefusedException("This passkey was used at the same moment elsewhere. Start again.");
        }

        var verified = response.Response.AuthenticatorData is { Length: > 32 } data && (data[32] & 0x04) != 0;
        return (stored.UserId, verified);
    }

    /// <summary>The signed-in person's own passkeys.</summary>
    public async Task<IReadOnlyList<PasskeyInfo>> ListAsync(Actor actor)
    {
        await access.RequireAsync(actor, "passkeys.list", Role.Administrator, Role.Scrutineer, Role.Auditor, Role.Manager, Role.Executive);
        return (await store.GetByUserAsync(actor.UserId)).Select(p => new PasskeyInfo(p.Id, p.Name, p.CreatedUtc, p.LastUsedUtc)).ToList();
    }

    /// <summary>Starts adding a passkey to the signed-in person's own account (their account page).</summary>
    public async Task<PasskeyCeremony> BeginOwnRegistrationAsync(Actor actor, PasskeySite site)
    {
        await access.RequireAsync(actor, "passkeys.add", Role.Administrator, Role.Scrutineer, Role.Auditor, Role.Manager, Role.Executive);
        return await BeginRegistrationAsync(actor.UserId, site);
    }

    /// <summary>Removes one of the signed-in person's own passkeys. Logged.</summary>
    public async Task RemoveAsync(Actor actor, long passkeyId)
    {
        await access.RequireAsync(actor, "passkeys.remove", Role.Administrator, Role.Scrutineer, Role.Auditor, Role.Manager, Role.Executive);
        var now = clock.GetUtcNow();
        if (!await store.RemoveAsync(actor.UserId, passkeyId, new AuditLogEntry(now, actor.UserId, actor.UserName, "remove-passkey", "user",
                actor.UserId.ToString(CultureInfo.InvariantCulture), JsonSerializer.Serialize(new { passkeyId }), null)))
        {
            throw new DomainValidationException("That passkey is not one of yours (or it was removed already).");
        }
    }

    private async Task<PasskeyCeremony> KeepAsync(string purpose, long? userId, string optionsJson)
    {
        var now = clock.GetUtcNow();
        var id = Encode(RandomNumberGenerator.GetBytes(24));
        await store.SaveCeremonyAsync(id, purpose, userId, optionsJson, now + CeremonyLifetime, now);
        return new PasskeyCeremony(id, optionsJson);
    }

    private async Task<(string Purpose, long? UserId, string OptionsJson)> TakeAsync(string? ceremonyId, string purpose, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(ceremonyId) || ceremonyId.Length > 64 || await store.TakeCeremonyAsync(ceremonyId, now) is not { } ceremony)
        {
            throw new PasskeyRefusedException("This passkey step has expired or was used already. Start again.");
        }

        return ceremony.Purpose == purpose ? ceremony : throw new PasskeyRefusedException("This passkey step was for something else. Start again.");
    }

    private static T Parse<T>(string? json) where T : class
    {
        if (string.IsNullOrEmpty(json) || json.Length > 64 * 1024)
        {
            throw new PasskeyRefusedException("The browser sent no passkey answer.");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json) ?? throw new PasskeyRefusedException("The browser sent no passkey answer.");
        }
        catch (JsonException)
        {
            throw new PasskeyRefusedException("The browser's passkey answer could not be read.");
        }
    }

    private static Fido2 Fido(PasskeySite site) => new(new Fido2Configuration
    {
        RPID = site.RelyingPartyId,
        RPName = "AuditTool",
        Origins = new HashSet<string>(StringComparer.Ordinal) { site.Origin },
        TimestampDriftTolerance = 300000,
    });

    public static string Encode(byte[] bytes) => Base64Url.EncodeToString(bytes);

    public static byte[] Decode(string text) => Base64Url.DecodeFromChars(text);
}
