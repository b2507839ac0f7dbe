using System.Data.Common;
using Dapper;

namespace AuditTool.Data;

/// <summary>
/// A PostgreSQL session-level advisory lock held on its own connection: of several servers starting together, one
/// migrates (or seeds, or runs a background pass) while the others wait for it, then find the work done.
/// </summary>
public sealed class StartupLock : IDisposable
{
    public const long MigrationKey = 0x4175_6469_7401;
    public const long FirstRunKey = 0x4175_6469_7402;

    private readonly DbConnection _connection;
    private readonly long _key;

    private StartupLock(DbConnection connection, long key)
    {
        _connection = connection;
        _key = key;
    }

    /// <summary>Waits for the lock (PostgreSQL only).</summary>
    public static StartupLock Take(ConnectionFactory factory, long key)
    {
        var connection = factory.Open();
        connection.Execute("SELECT pg_advisory_lock(@key)", new { key }, commandTimeout: 600);
        return new StartupLock(connection, key);
    }

    /// <summary>Takes the lock if no one holds it; null when another server does.</summary>
    public static async Task<StartupLock?> TryTakeAsync(ConnectionFactory factory, long key)
    {
        var connection = await factory.OpenAsync();
        if (await connection.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(@key)", new { key }))
        {
            return new StartupLock(connection, key);
        }

        await connection.DisposeAsync();
        return null;
    }

    public void Dispose()
    {
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
