using AuditTool.Domain.Accounts;
using AuditTool.Domain.Logging;
using Dapper;

namespace AuditTool.Data;

public sealed class ExternalLoginRepository(ConnectionFactory factory) : IExternalLoginRepository
{
    public async Task<long?> FindUserIdAsync(string issuer, string subject)
    {
        using var connection = await factory.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<long?>(
            "SELECT user_id FROM user_logins WHERE issuer = @issuer AND subject = @subject", new { issuer, subject });
    }

    public async Task<IReadOnlyList<string>> GetIssuersAsync(long userId)
    {
        using var connection = await factory.OpenAsync();
        return (await connection.QueryAsync<string>("SELECT issuer FROM user_logins WHERE user_id = @userId", new { userId })).ToList();
    }

    public async Task<bool> LinkAsync(string issuer, string subject, long userId, string provider, DateTimeOffset now, AuditLogEntry log)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        var linked = await connection.ExecuteAsync("""
            INSERT INTO user_logins (issuer, subject, user_id, provider, created_utc)
            VALUES (@issuer, @subject, @userId, @provider, @now)
            ON CONFLICT (issuer, subject) DO NOTHING
            """, new { issuer, subject, userId, provider, now = Utc.Format(now) }, tx) == 1;
        if (linked)
        {
            await AuditLogWriter.WriteAsync(connection, tx, log);
        }

        await tx.CommitAsync();
        return linked;
    }

    public async Task TouchAsync(string issuer, string subject, DateTimeOffset now)
    {
        using var connection = await factory.OpenAsync();
        await connection.ExecuteAsync("UPDATE user_logins SET last_used_utc = @now WHERE issuer = @issuer AND subject = @subject",
            new { issuer, subject, now = Utc.Format(now) });
    }
}
