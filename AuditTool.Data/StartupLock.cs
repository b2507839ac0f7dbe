using System.Data.Common;
using Dapper;

namespace AuditTool.Data;

/// <summary>
/// Start-up work that must happen once even when several processes start together on one database (two servers, or a
/// server and a verb): migrating, loading the shipped templates, seeding the demo, a background pass. PostgreSQL: a
/// session-level advisory lock held on its own connection. SQLite: an exclusive lock on a file beside the database
/// (<c>audittool.db-startup.lock</c>, empty; it stays when released). Whoever comes second waits, then finds the work done.
/// </summary>
public sealed class StartupLock : IDisposable
{
    public const long MigrationKey = 0x4175_6469_7401;
    public const long FirstRunKey = 0x4175_6469_7402;

    /// <summary>The reminders' pass: one server (or send-reminders run) at a time decides and sends.</summary>
    public const long NoticePassKey = 0x4175_6469_7403;

    /// <summary>The daily checks (unused accounts, the audit log's chain): one server at a time.</summary>
    public const long DailyChecksKey = 0x4175_6469_7404;

    private readonly DbConnection? _connection;
    private readonly FileStream? _file;
    private readonly long _key;

    private StartupLock(DbConnection? connection, FileStream? file, long key)
    {
        _connection = connection;
        _file = file;
        _key = key;
    }

    /// <summary>Waits for the lock (up to ten minutes).</summary>
    public static StartupLock Take(ConnectionFactory factory, long key)
    {
        if (factory.DatabasePath is { } path)
        {
            var deadline = DateTime.UtcNow.AddMinutes(10);
            while (true)
            {
                try
                {
                    return new StartupLock(null, new FileStream(path + "-startup.lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None), key);
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(50);
                }
            }
        }

        var connection = factory.Open();
        connection.Execute("SELECT pg_advisory_lock(@key)", new { key }, commandTimeout: 600);
        return new StartupLock(connection, null, key);
    }

    /// <summary>Takes the lock if no one holds it; null when another process does (PostgreSQL and SQLite alike).</summary>
    public static async Task<StartupLock?> TryTakeAsync(ConnectionFactory factory, long key)
    {
        if (factory.DatabasePath is { } path)
        {
            try
            {
                return new StartupLock(null, new FileStream(path + $"-{key:x}.lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None), key);
            }
            catch (IOException)
            {
                return null;
            }
        }

        var connection = await factory.OpenAsync();
        if (await connection.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(@key)", new { key }))
        {
            return new StartupLock(connection, null, key);
        }

        await connection.DisposeAsync();
        return null;
    }

    public void Dispose()
    {
        _file?.Dispose();
        if (_connection is null)
        {
            return;
        }

        try
        {
            _connection.Execute("SELECT pg_advisory_unlock(@key)", new { key = _key });
        }
        finally
        {
            _connection.Dispose();
        }
    }
}
