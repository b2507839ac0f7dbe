using AuditTool.Domain.Accounts;
using AuditTool.Domain.Logging;
using Dapper;

namespace AuditTool.Data;

/// <summary>Authenticator secrets (protected), recovery code hashes and passkeys of local accounts.</summary>
public sealed class SecondFactorRepository(ConnectionFactory factory) : ISecondFactorRepository
{
    public async Task<StoredTotp?> GetTotpAsync(long userId)
    {
        using var connection = await factory.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<(string Secret, string? Confirmed, long Step, string? Pending)?>("""
            SELECT t.secret, t.confirmed_utc, t.last_used_step, p.secret
            FROM user_totp t LEFT JOIN user_totp_pending p ON p.user_id = t.user_id WHERE t.user_id = @userId
            """, new { userId });
        return row is { } r ? new StoredTotp(r.Secret, Utc.ParseOrNull(r.Confirmed), r.Step, r.Pending) : null;
    }

    public async Task SaveUnconfirmedTotpAsync(long userId, string protectedSecret, DateTimeOffset now)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        // A confirmed authenticator is replaced only when the new one is confirmed: it is kept aside until then.
        var confirmed = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM user_totp WHERE user_id = @userId AND confirmed_utc IS NOT NULL", new { userId }, tx);
        if (confirmed > 0)
        {
            await connection.ExecuteAsync("DELETE FROM user_totp_pending WHERE user_id = @userId", new { userId }, tx);
            await connection.ExecuteAsync("INSERT INTO user_totp_pending (user_id, secret, created_utc) VALUES (@userId, @protectedSecret, @now)",
                new { userId, protectedSecret, now = Utc.Format(now) }, tx);
        }
        else
        {
            await connection.ExecuteAsync("""
                INSERT INTO user_totp (user_id, secret, confirmed_utc, last_used_step, created_utc) VALUES (@userId, @protectedSecret, NULL, 0, @now)
                ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_utc = excluded.created_utc
                """, new { userId, protectedSecret, now = Utc.Format(now) }, tx);
        }

        await tx.CommitAsync();
    }

    public async Task ConfirmTotpAsync(long userId, long usedStep, IReadOnlyList<string> recoveryCodeHashes, DateTimeOffset now, AuditLogEntry log)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        var stamp = Utc.Format(now);
        var pending = await connection.ExecuteScalarAsync<string?>("SELECT secret FROM user_totp_pending WHERE user_id = @userId", new { userId }, tx);
        if (pending is not null)
        {
            await connection.ExecuteAsync("UPDATE user_totp SET secret = @pending, confirmed_utc = @stamp, last_used_step = @usedStep WHERE user_id = @userId",
                new { userId, pending, stamp, usedStep }, tx);
            await connection.ExecuteAsync("DELETE FROM user_totp_pending WHERE user_id = @userId", new { userId }, tx);
        }
        else
        {
            await connection.ExecuteAsync("UPDATE user_totp SET confirmed_utc = @stamp, last_used_step = @usedStep WHERE user_id = @userId",
                new { userId, stamp, usedStep }, tx);
        }

        await connection.ExecuteAsync("DELETE FROM user_recovery_codes WHERE user_id = @userId", new { userId }, tx);
        await connection.ExecuteAsync("INSERT INTO user_recovery_codes (user_id, code_hash, created_utc) VALUES (@userId, @hash, @stamp)",
            recoveryCodeHashes.Select(hash => new { userId, hash, stamp }), tx);
        await AuditLogWriter.WriteAsync(connection, tx, log);
        await tx.CommitAsync();
    }

    public async Task<bool> TakeTotpStepAsync(long userId, long step)
    {
        using var connection = await factory.OpenAsync();
        return await connection.ExecuteAsync(
            "UPDATE user_totp SET last_used_step = @step WHERE user_id = @userId AND confirmed_utc IS NOT NULL AND last_used_step < @step",
            new { userId, step }) == 1;
    }

    public async Task<IReadOnlyList<(long Id, string Hash)>> GetUnusedRecoveryCodesAsync(long userId)
    {
        using var connection = await factory.OpenAsync();
        return (await connection.QueryAsync<(long, string)>(
            "SELECT id, code_hash FROM user_recovery_codes WHERE user_id = @userId AND used_utc IS NULL ORDER BY id", new { userId })).ToList();
    }

    public async Task<bool> UseRecoveryCodeAsync(long id, DateTimeOffset now)
    {
        using var connection = await factory.OpenAsync();
        return await connection.ExecuteAsync("UPDATE user_recovery_codes SET used_utc = @now WHERE id = @id AND used_utc IS NULL",
            new { id, now = Utc.Format(now) }) == 1;
    }

    public async Task<SecondFactorStatus> GetStatusAsync(long userId)
    {
        using var connection = await factory.OpenAsync();
        var (totp, codes, passkeys) = await connection.QuerySingleAsync<(long, long, long)>("""
            SELECT (SELECT COUNT(*) FROM user_totp WHERE user_id = @userId AND confirmed_utc IS NOT NULL),
                   (SELECT COUNT(*) FROM user_recovery_codes WHERE user_id = @userId AND used_utc IS NULL),
                   (SELECT COUNT(*) FROM user_passkeys WHERE user_id = @userId)
            """, new { userId });
        return new SecondFactorStatus(totp > 0, (int)codes, (int)passkeys);
    }

    public async Task<IReadOnlyDictionary<long, SecondFactorStatus>> GetStatusesAsync()
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<(long UserId, long Totp, long Codes, long Passkeys)>("""
            SELECT u.id,
                   (SELECT COUNT(*) FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_utc IS NOT NULL),
                   (SELECT COUNT(*) FROM user_recovery_codes c WHERE c.user_id = u.id AND c.used_utc IS NULL),
                   (SELECT COUNT(*) FROM user_passkeys p WHERE p.user_id = u.id)
            FROM users u
            """);
        return rows.Where(r => r.Totp + r.Codes + r.Passkeys > 0)
            .ToDictionary(r => r.UserId, r => new SecondFactorStatus(r.Totp > 0, (int)r.Codes, (int)r.Passkeys));
    }

    public async Task ResetAsync(long userId, DateTimeOffset now, AuditLogEntry log)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        foreach (var table in new[] { "user_totp", "user_totp_pending", "user_recovery_codes", "user_passkeys" })
        {
            await connection.ExecuteAsync($"DELETE FROM {table} WHERE user_id = @userId", new { userId }, tx);
        }

        await connection.ExecuteAsync("UPDATE users SET security_stamp = @stamp WHERE id = @userId", new { userId, stamp = User.NewStamp() }, tx);
        await SessionRepository.EndAllAsync(connection, tx, userId, now, "second factor reset");
        await AuditLogWriter.WriteAsync(connection, tx, log);
        await tx.CommitAsync();
    }
}
