using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace AuditTool.Data;

public sealed record DatabaseOptions(string Path)
{
    public const string DefaultPath = "data/audittool.db";
}

/// <summary>
/// The one place connections come from. Every connection has foreign keys on and a busy timeout; the database is
/// in WAL mode (set once by the migration runner, it persists in the file). A PostgreSQL backend is another factory.
/// </summary>
public sealed class SqliteConnectionFactory
{
    public const int BusyTimeoutMs = 10_000;

    private readonly string _connectionString;

    public SqliteConnectionFactory(DatabaseOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Path);
        DatabasePath = System.IO.Path.GetFullPath(options.Path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMs / 1000,
        }.ToString();
    }

    public string DatabasePath { get; }

    public string ConnectionString => _connectionString;

    public async Task<DbConnection> OpenAsync()
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMs}; PRAGMA synchronous = NORMAL;";
        await pragma.ExecuteNonQueryAsync();
        return connection;
    }

    public DbConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMs}; PRAGMA synchronous = NORMAL;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    /// <summary>
    /// Starts a write transaction that takes the write lock at once (BEGIN IMMEDIATE), so read-then-write work never
    /// fails half-way with SQLITE_BUSY when another writer got there first.
    /// </summary>
    public static DbTransaction BeginImmediate(DbConnection connection) =>
        ((SqliteConnection)connection).BeginTransaction(deferred: false);
}
