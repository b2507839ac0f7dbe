using System.Data.Common;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Logging;
using Dapper;

namespace AuditTool.Data;

/// <summary>Sign-in sessions: the server's own record of who is signed in, shared by every server on the database.</summary>
public sealed class SessionRepository(ConnectionFactory factory) : ISessionRepository
{
    public async Task<SessionState?> GetAsync(string sessionId)
    {
        using var connection = await factory.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<(string Id, long UserId, string Created, string Expires, string? Ended, long Disabled, string Stamp, string? Reason)?>("""
            SELECT s.id, s.user_id, s.created_utc, s.expires_utc, s.ended_utc, u.is_disabled, u.security_stamp, s.ended_reason
            FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = @sessionId
            """, new { sessionId });
        return row is { } r
            ? new SessionState(r.Id, r.UserId, Utc.Parse(r.Created), Utc.Parse(r.Expires), Utc.ParseOrNull(r.Ended), r.Disabled != 0, r.Stamp, r.Reason)
            : null;
    }

    public async Task<int> EndAllAsync(long userId, DateTimeOffset now, string reason, AuditLogEntry? log)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        var ended = await EndAllAsync(connection, tx, userId, now, reason);
        if (log is not null)
        {
            await AuditLogWriter.WriteAsync(connection, tx, log with { NewValues = log.NewValues ?? $"{ended} session(s) ended" });
        }

        await tx.CommitAsync();
        return ended;
    }

    public async Task<bool> EndAsync(long userId, string sessionId, DateTimeOffset now, string reason, AuditLogEntry? log)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        var ended = await connection.ExecuteAsync("""
            UPDATE sessions SET ended_utc = @now, ended_reason = @reason
            WHERE id = @sessionId AND user_id = @userId AND ended_utc IS NULL
            """, new { sessionId, userId, now = Utc.Format(now), reason }, tx) == 1;
        if (ended && log is not null)
        {
            await AuditLogWriter.WriteAsync(connection, tx, log with { NewValues = log.NewValues ?? "1 session ended" });
        }

        await tx.CommitAsync();
        return ended;
    }

    public async Task<int> CountOpenAsync(long userId, DateTimeOffset now)
    {
        using var connection = await factory.OpenAsync();
        return await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM sessions WHERE user_id = @userId AND ended_utc IS NULL AND expires_utc > @now",
            new { userId, now = Utc.Format(now) });
    }

    public async Task<IReadOnlyDictionary<long, int>> CountOpenByUserAsync(DateTimeOffset now)
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<(long UserId, long Count)>(
            "SELECT user_id, COUNT(*) FROM sessions WHERE ended_utc IS NULL AND expires_utc > @now GROUP BY user_id", new { now = Utc.Format(now) });
        return rows.ToDictionary(r => r.UserId, r => (int)r.Count);
    }

    /// <summary>Inside a caller's transaction: the account's open sessions end (a change of its access).</summary>
    internal static Task<int> EndAllAsync(DbConnection connection, DbTransaction tx, long userId, DateTimeOffset now, string reason) =>
        connection.ExecuteAsync("UPDATE sessions SET ended_utc = @now, ended_reason = @reason WHERE user_id = @userId AND ended_utc IS NULL",
            new { userId, now = Utc.Format(now), reason }, tx);
}
