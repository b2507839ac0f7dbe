using AuditTool.Domain.Accounts;
using AuditTool.Domain.Logging;
using Dapper;

namespace AuditTool.Data;

/// <summary>Passkeys of local accounts (<c>user_passkeys</c>) and the ceremonies handed out for them (<c>webauthn_ceremonies</c>).</summary>
public sealed class PasskeyRepository(ConnectionFactory factory) : IPasskeyRepository
{
    private const string Select = """
        SELECT id AS Id, user_id AS UserId, credential_id AS CredentialId, public_key AS PublicKey, user_handle AS UserHandle,
               sign_count AS SignCount, name AS Name, created_utc AS CreatedUtc, last_used_utc AS LastUsedUtc
        FROM user_passkeys
        """;

    public async Task<IReadOnlyList<StoredPasskey>> GetByUserAsync(long userId)
    {
        using var connection = await factory.OpenAsync();
        return (await connection.QueryAsync<Row>($"{Select} WHERE user_id = @userId ORDER BY id", new { userId })).Select(r => r.ToPasskey()).ToList();
    }

    public async Task<StoredPasskey?> GetByCredentialIdAsync(string credentialId)
    {
        using var connection = await factory.OpenAsync();
        return (await connection.QuerySingleOrDefaultAsync<Row>($"{Select} WHERE credential_id = @credentialId", new { credentialId }))?.ToPasskey();
    }

    public async Task<bool> AddAsync(StoredPasskey passkey, AuditLogEntry log)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        var added = await connection.ExecuteAsync("""
            INSERT INTO user_passkeys (user_id, credential_id, public_key, user_handle, sign_count, name, created_utc)
            SELECT @UserId, @CredentialId, @PublicKey, @UserHandle, @count, @Name, @created
            WHERE NOT EXISTS (SELECT 1 FROM user_passkeys WHERE credential_id = @CredentialId)
            """, new { passkey.UserId, passkey.CredentialId, passkey.PublicKey, passkey.UserHandle, count = (long)passkey.SignCount, passkey.Name,
                created = Utc.Format(passkey.CreatedUtc) }, tx);
        if (added != 1)
        {
            return false;
        }

        await AuditLogWriter.WriteAsync(connection, tx, log);
        await tx.CommitAsync();
        return true;
    }

    public async Task<bool> RecordUseAsync(long id, uint fromCount, uint toCount, DateTimeOffset now)
    {
        using var connection = await factory.OpenAsync();
        return await connection.ExecuteAsync(
            "UPDATE user_passkeys SET sign_count = @to, last_used_utc = @now WHERE id = @id AND sign_count = @from",
            new { id, from = (long)fromCount, to = (long)toCount, now = Utc.Format(now) }) == 1;
    }

    public Task<bool> RemoveAsync(long userId, long passkeyId, AuditLogEntry log) =>
        AuditLogWriter.ChangeOneRowAsync(factory, "DELETE FROM user_passkeys WHERE id = @passkeyId AND user_id = @userId", new { passkeyId, userId }, log);

    public async Task SaveCeremonyAsync(string id, string purpose, long? userId, string optionsJson, DateTimeOffset expiresUtc, DateTimeOffset now)
    {
        using var connection = await factory.OpenAsync();
        await connection.ExecuteAsync("DELETE FROM webauthn_ceremonies WHERE expires_utc < @now", new { now = Utc.Format(now) });
        await connection.ExecuteAsync(
            "INSERT INTO webauthn_ceremonies (id, kind, user_id, options_json, expires_utc) VALUES (@id, @purpose, @userId, @optionsJson, @expires)",
            new { id, purpose, userId, optionsJson, expires = Utc.Format(expiresUtc) });
    }

    public async Task<(string Purpose, long? UserId, string OptionsJson)?> TakeCeremonyAsync(string id, DateTimeOffset now)
    {
        using var connection = await factory.OpenAsync();
        // Deleted as it is read: of two answers to one challenge, one finds it.
        var row = await connection.QuerySingleOrDefaultAsync<(string Kind, long? UserId, string Options, string Expires)?>(
            "DELETE FROM webauthn_ceremonies WHERE id = @id RETURNING kind, user_id, options_json, expires_utc", new { id });
        return row is { } r && string.CompareOrdinal(r.Expires, Utc.Format(now)) > 0 ? (r.Kind, r.UserId, r.Options) : null;
    }

    private sealed class Row
    {
        public long Id { get; set; }
        public long UserId { get; set; }
        public string CredentialId { get; set; } = "";
        public string PublicKey { get; set; } = "";
        public string UserHandle { get; set; } = "";
        public long SignCount { get; set; }
        public string Name { get; set; } = "";
        public string CreatedUtc { get; set; } = "";
        public string? LastUsedUtc { get; set; }

        public StoredPasskey ToPasskey() =>
            new(Id, UserId, CredentialId, PublicKey, UserHandle, (uint)SignCount, Name, Utc.Parse(CreatedUtc), Utc.ParseOrNull(LastUsedUtc));
    }
}
