using System.Globalization;
using AuditTool.Data;
using AuditTool.Web.Hosting;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Benchmarks.Data;

/// <summary>
/// Where one engine's benchmark databases live, and what makes a fresh one: a file in the work folder (SQLite) or a
/// database of its own on the server <c>--db</c> names (PostgreSQL). Every load goes into a fresh database, and every
/// child process connects to it by its location (a file path, or a postgresql:// URI without the password).
/// </summary>
public abstract class EngineDatabases : IDisposable
{
    public const string SqliteName = "sqlite";
    public const string PostgresName = "postgresql";

    /// <summary>The engine as the JSON names it: <c>sqlite</c> or <c>postgresql</c>.</summary>
    public abstract string Engine { get; }

    /// <summary>As printed: SQLite or PostgreSQL.</summary>
    public string Label => LabelOf(Engine);

    /// <summary>"fresh file" or "fresh database", for the load lines.</summary>
    public abstract string Fresh { get; }

    /// <summary>What a child process needs in its environment beside <c>--db</c> (PostgreSQL: the password).</summary>
    public virtual IReadOnlyDictionary<string, string> ChildEnvironment { get; } = new Dictionary<string, string>();

    public static string LabelOf(string engine) => engine == PostgresName ? "PostgreSQL" : "SQLite";

    /// <summary>An empty database called <paramref name="name"/> (one left by an earlier load is removed first); its location.</summary>
    public abstract string Create(string name);

    /// <summary>The app's services on the database at <paramref name="location"/>.</summary>
    public abstract ServiceProvider Services(string location);

    /// <summary>After a load: bring the database to the state every child starts from (not timed).</summary>
    public abstract void Settle(ServiceProvider services);

    public abstract long SizeBytes(string location);

    public abstract void Drop(string location);

    /// <summary>Removes whatever is left (idempotent; also called when the run is interrupted).</summary>
    public abstract void Dispose();
}

/// <summary>SQLite: a file per database in the work folder (the folder itself is deleted by the runner).</summary>
public sealed class SqliteDatabases(string folder) : EngineDatabases
{
    public override string Engine => SqliteName;

    public override string Fresh => "fresh file";

    public override string Create(string name)
    {
        var path = Path.Combine(folder, $"{name}.db");
        Drop(path);
        return path;
    }

    public override ServiceProvider Services(string location) => BenchmarkServices.For(location);

    public override void Settle(ServiceProvider services)
    {
        // Fold the one big transaction into the database file, so every child starts from the same state.
        using (var connection = services.GetRequiredService<ConnectionFactory>().Open())
        {
            connection.Execute("PRAGMA wal_checkpoint(TRUNCATE);");
        }

        SqliteConnection.ClearAllPools();
    }

    public override long SizeBytes(string location) => new FileInfo(location).Length;

    public override void Drop(string location)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(location + suffix);
        }
    }

    public override void Dispose()
    {
    }
}

/// <summary>
/// PostgreSQL: the database the <c>--db</c> URI names is only connected to, to create and drop the benchmark's own
/// databases (<c>audittool_bench_PID_SIZE</c>), one fresh database per load, so the role needs CREATEDB (or to own
/// them). Every database it created is dropped at the end, or when the run is interrupted (unless --keep).
/// </summary>
public sealed class PostgresDatabases : EngineDatabases
{
    private readonly ConnectionFactory _admin;
    private readonly string _uriPrefix;
    private readonly string _uriQuery;
    private readonly string? _password;
    private readonly HashSet<string> _created = [];
    private readonly Lock _lock = new();
    private bool _disposed;

    private PostgresDatabases(string uri)
    {
        // The server's address once, to build each database's URI from; the password goes to the children in PGPASSWORD,
        // never on a command line.
        var parsed = new Uri(uri);
        var userInfo = parsed.UserInfo.Split(':', 2);
        _password = userInfo.Length > 1 && userInfo[1].Length > 0 ? Uri.UnescapeDataString(userInfo[1]) : Environment.GetEnvironmentVariable("PGPASSWORD");
        _uriPrefix = $"{parsed.Scheme}://{userInfo[0]}@{parsed.Authority}/";
        _uriQuery = parsed.Query;
        Server = DatabaseTarget.Parse(uri, Environment.CurrentDirectory);
        _admin = new ConnectionFactory(Server);
        if (_password is not null)
        {
            ChildEnvironment = new Dictionary<string, string> { ["PGPASSWORD"] = _password };
        }
    }

    public override string Engine => PostgresName;

    public override string Fresh => "fresh database";

    public override IReadOnlyDictionary<string, string> ChildEnvironment { get; } = new Dictionary<string, string>();

    /// <summary>The server as given (no password).</summary>
    public DatabaseTarget Server { get; }

    /// <summary>Server version and the settings that matter here, for the report.</summary>
    public PostgresServerInfo Info { get; private set; } = null!;

    /// <summary>Connects to the given database and checks the role may create databases.</summary>
    /// <exception cref="InvalidOperationException">The server cannot be reached or the role may not create databases.</exception>
    public static PostgresDatabases Connect(string uri)
    {
        var databases = new PostgresDatabases(uri);
        try
        {
            using var connection = databases._admin.Open();
            var (user, mayCreate) = connection.QuerySingle<(string, bool)>(
                "SELECT current_user, rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user");
            if (!mayCreate)
            {
                throw new InvalidOperationException(
                    $"The role {user} may not create databases, and the benchmark loads each size into a fresh database of its own " +
                    $"(dropped at the end). As a superuser: ALTER ROLE {user} CREATEDB;");
            }

            string Show(string setting) => connection.ExecuteScalar<string>($"SHOW {setting}") ?? "?";
            databases.Info = new PostgresServerInfo(databases.Server.Location, Show("server_version"), Show("work_mem"),
                Show("shared_buffers"), Show("effective_cache_size"), Show("max_parallel_workers_per_gather"), Show("fsync"), Show("jit"));
            return databases;
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException)
        {
            databases.Dispose();
            throw new InvalidOperationException($"PostgreSQL at {databases.Server.Location}: {ex.Message}", ex);
        }
    }

    public override string Create(string name)
    {
        var database = DatabaseName(name);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ClearPools();
            using var connection = _admin.Open();
            connection.Execute($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
            _created.Add(database);
            connection.Execute($"CREATE DATABASE \"{database}\"");
        }

        return _uriPrefix + database + _uriQuery;
    }

    public override ServiceProvider Services(string location) =>
        AuditToolServices.For(DatabaseTarget.Parse(location, Environment.CurrentDirectory, _password));

    public override void Settle(ServiceProvider services)
    {
        // The SQLite side checkpoints its WAL; here every child should find the same state too: the table statistics the
        // planner needs, hint bits set and the visibility map current, as autovacuum leaves a table a minute or so after a
        // big import on a live server. Without it the first readers would do that work, and plans would depend on timing.
        using var connection = services.GetRequiredService<ConnectionFactory>().Open();
        connection.Execute("VACUUM (ANALYZE)", commandTimeout: 1800);
    }

    public override long SizeBytes(string location)
    {
        using var connection = _admin.Open();
        return connection.ExecuteScalar<long>("SELECT pg_database_size(@name)", new { name = NameOf(location) });
    }

    public override void Drop(string location)
    {
        var database = NameOf(location);
        lock (_lock)
        {
            ClearPools();
            using var connection = _admin.Open();
            connection.Execute($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
            _created.Remove(database);
        }
    }

    /// <summary>
    /// FluentMigrator opens its own NpgsqlConnection (Npgsql's pool by connection string, not the app's data source): idle
    /// connections to a database about to be dropped must go first, or the next load of that name would be handed a
    /// connection the server has terminated.
    /// </summary>
    private static void ClearPools() => Npgsql.NpgsqlConnection.ClearAllPools();

    /// <summary>The names of the databases still there (for --keep).</summary>
    public IReadOnlyList<string> Remaining
    {
        get
        {
            lock (_lock)
            {
                return _created.Order(StringComparer.Ordinal).ToList();
            }
        }
    }

    /// <summary>Leaves the databases in place (--keep) and closes the admin connection.</summary>
    public void Release()
    {
        lock (_lock)
        {
            _created.Clear();
        }

        Dispose();
    }

    public override void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                if (_created.Count > 0)
                {
                    ClearPools();
                    using var connection = _admin.Open();
                    foreach (var database in _created)
                    {
                        connection.Execute($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
                    }

                    _created.Clear();
                }
            }
            finally
            {
                _admin.Dispose();
            }
        }
    }

    private static string DatabaseName(string name) =>
        string.Create(CultureInfo.InvariantCulture, $"audittool_bench_{Environment.ProcessId}_{name.Replace('-', '_')}");

    private string NameOf(string location) =>
        Uri.UnescapeDataString(location[_uriPrefix.Length..^_uriQuery.Length]);
}

/// <summary>The PostgreSQL server of a run: where, which version, and the settings that shape the plans.</summary>
public sealed record PostgresServerInfo(string Server, string Version, string WorkMem, string SharedBuffers, string EffectiveCacheSize,
    string MaxParallelWorkersPerGather, string Fsync, string Jit);
