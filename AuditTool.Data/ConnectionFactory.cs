using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AuditTool.Data;

/// <summary>
/// The one place connections come from, for either engine, and the one place their differences live: how a write
/// transaction takes its lock, how a unique violation is recognised. SQLite: foreign keys on, a busy timeout, WAL
/// (set by the migration runner; it persists in the file). PostgreSQL: one pooled data source.
/// </summary>
public sealed class ConnectionFactory : IDisposable
{
    public const int BusyTimeoutMs = 10_000;

    /// <summary>The advisory lock every PostgreSQL write transaction takes: writers take turns, as SQLite's do.</summary>
    public const long WriteLockKey = 0x4175_6469_7454_6f6f; // "AuditToo"

    private readonly string _sqliteConnectionString = string.Empty;
    private readonly NpgsqlDataSource? _postgres;

    public ConnectionFactory(DatabaseTarget target)
    {
        Target = target;
        if (target.Engine == DatabaseEngine.Postgres)
        {
            _postgres = NpgsqlDataSource.Create(target.ConnectionString!);
            return;
        }

        _sqliteConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = target.FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMs / 1000,
        }.ToString();
    }

    public DatabaseTarget Target { get; }

    public DatabaseEngine Engine => Target.Engine;

    /// <summary>"<paramref name="column"/> is among the list parameter <paramref name="parameter"/>": Dapper spreads a
    /// list on SQLite (<c>IN @p</c>); Npgsql takes it as one array (<c>= ANY(@p)</c>).</summary>
    public string In(string column, string parameter) => Engine == DatabaseEngine.Postgres
        ? $"{column} = ANY(@{parameter})"
        : $"{column} IN @{parameter}";

    /// <summary>The SQLite file (backups, lock files); null on PostgreSQL.</summary>
    public string? DatabasePath => Target.FilePath;

    /// <summary>For FluentMigrator: the connection string of either engine.</summary>
    internal string ConnectionString => _postgres?.ConnectionString ?? _sqliteConnectionString;

    internal NpgsqlDataSource? Postgres => _postgres;

    public async Task<DbConnection> OpenAsync()
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync();
        }

        var connection = new SqliteConnection(_sqliteConnectionString);
        await connection.OpenAsync();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMs}; PRAGMA synchronous = NORMAL;";
        await pragma.ExecuteNonQueryAsync();
        return connection;
    }

    public DbConnection Open()
    {
        if (_postgres is not null)
        {
            return _postgres.OpenConnection();
        }

        var connection = new SqliteConnection(_sqliteConnectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMs}; PRAGMA synchronous = NORMAL;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    /// <summary>
    /// Starts a transaction for read-then-write work that holds the write lock from its first statement, so it never
    /// fails half-way because another writer got there first. SQLite: BEGIN IMMEDIATE. PostgreSQL: READ COMMITTED
    /// plus a transaction-level advisory lock that every such transaction takes (released at commit or rollback).
    /// </summary>
    public DbTransaction BeginWrite(DbConnection connection)
    {
        if (connection is SqliteConnection sqlite)
        {
            return sqlite.BeginTransaction(deferred: false);
        }

        var tx = connection.BeginTransaction(IsolationLevel.ReadCommitted);
        connection.Execute("SELECT pg_advisory_xact_lock(@WriteLockKey)", new { WriteLockKey }, tx);
        return tx;
    }

    /// <summary>
    /// As <see cref="BeginWrite"/>, without holding a thread while PostgreSQL's write lock is awaited: many writers at
    /// once queue for the lock, not for threads (a blocked thread each would starve the pool the lock holder needs).
    /// </summary>
    public async Task<DbTransaction> BeginWriteAsync(DbConnection connection)
    {
        if (connection is SqliteConnection sqlite)
        {
            return sqlite.BeginTransaction(deferred: false);
        }

        var tx = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted);
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@WriteLockKey)", new { WriteLockKey }, tx);
        return tx;
    }

    /// <summary>Whether <paramref name="ex"/> is a unique-constraint violation on <paramref name="table"/>.<paramref name="column"/>.</summary>
    public static bool IsUniqueViolation(Exception ex, string table, string column) => ex switch
    {
        SqliteException s => s.SqliteErrorCode == 19 && s.Message.Contains($"{table}.{column}", StringComparison.Ordinal),
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation && p.TableName == table &&
            (p.ConstraintName?.Contains(column, StringComparison.Ordinal) ?? false),
        _ => false,
    };

    public void Dispose() => _postgres?.Dispose();
}
