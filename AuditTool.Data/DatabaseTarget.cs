using Npgsql;

namespace AuditTool.Data;

public enum DatabaseEngine
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Where the data lives, as <c>--db</c> and <c>AuditTool:Database</c> give it: a file path (SQLite, embedded, the default)
/// or a <c>postgresql://user:password@host:port/database</c> URI (PostgreSQL; the password may instead come from
/// <c>PGPASSWORD</c> or the <c>AuditTool:DatabasePassword</c> setting). Nothing else to set.
/// </summary>
public sealed record DatabaseTarget
{
    public const string DefaultPath = "data/audittool.db";

    private DatabaseTarget(DatabaseEngine engine, string location, string? connectionString)
    {
        Engine = engine;
        Location = location;
        ConnectionString = connectionString;
    }

    public DatabaseEngine Engine { get; }

    /// <summary>SQLite: the full path of the file. PostgreSQL: the URI without its password (safe to print).</summary>
    public string Location { get; }

    /// <summary>PostgreSQL's connection string (with the password); null for SQLite.</summary>
    internal string? ConnectionString { get; }

    /// <summary>SQLite's file; null for PostgreSQL.</summary>
    public string? FilePath => Engine == DatabaseEngine.Sqlite ? Location : null;

    public static bool IsPostgresUri(string value) =>
        value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) ||
        value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a location. A relative file path is taken from <paramref name="baseFolder"/>.</summary>
    /// <exception cref="ArgumentException">A URI that is not a usable PostgreSQL address.</exception>
    public static DatabaseTarget Parse(string value, string baseFolder, string? password = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        if (!IsPostgresUri(value))
        {
            var path = Path.GetFullPath(Path.IsPathRooted(value) ? value : Path.Combine(baseFolder, value));
            return new DatabaseTarget(DatabaseEngine.Sqlite, path, null);
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"'{Redact(value)}' is not a PostgreSQL address: write postgresql://user:password@host:port/database.");
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (database.Length == 0 || database.Contains('/'))
        {
            throw new ArgumentException($"'{Redact(value)}' names no database: write postgresql://user:password@host:port/database.");
        }

        var userInfo = uri.UserInfo.Split(':', 2);
        var user = Uri.UnescapeDataString(userInfo[0]);
        if (user.Length == 0)
        {
            throw new ArgumentException($"'{Redact(value)}' names no user: write postgresql://user:password@host:port/database.");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = database,
            Username = user,
            Password = userInfo.Length > 1 && userInfo[1].Length > 0
                ? Uri.UnescapeDataString(userInfo[1])
                : password ?? Environment.GetEnvironmentVariable("PGPASSWORD"),
            // One application name in pg_stat_activity; pooled connections, as the app opens one per operation.
            ApplicationName = "AuditTool",
            Pooling = true,
            MaxPoolSize = 50,
            Timeout = 15,
            CommandTimeout = 300,
            // NOTIFY payloads and cancellation need nothing more; SSL follows the server's own settings ("prefer").
        };
        foreach (var (key, setting) in System.Web.HttpUtility.ParseQueryString(uri.Query) is { } query
                     ? query.AllKeys.Where(k => k is not null).Select(k => (k!, query[k]!))
                     : [])
        {
            // postgresql://...?sslmode=require and the like: any Npgsql connection-string keyword.
            builder[key] = setting;
        }

        var shown = $"postgresql://{user}@{uri.Host}:{builder.Port}/{database}";
        return new DatabaseTarget(DatabaseEngine.Postgres, shown, builder.ConnectionString);
    }

    private static string Redact(string value) =>
        System.Text.RegularExpressions.Regex.Replace(value, "(://[^:/@]+):[^@]*@", "$1:***@");

    public override string ToString() => Location;
}
