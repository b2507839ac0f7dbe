using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AuditTool.Data;

public sealed record Migration(string Name, string Sql)
{
    /// <summary>SHA-256 of the script with line endings normalised, so a checkout on another OS is not "edited".</summary>
    public string Checksum { get; } =
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.Replace("\r\n", "\n")))).ToLowerInvariant();
}

public sealed class MigrationException(string message) : Exception(message);

/// <summary>
/// Applies the numbered <c>.sql</c> files of <c>migrations/</c> (embedded in this assembly) in order, each in its own
/// transaction, recording name and checksum in <c>schema_journal</c>. A landed migration whose file changed stops start-up.
/// </summary>
public sealed class MigrationRunner(SqliteConnectionFactory factory)
{
    public static IReadOnlyList<Migration> Embedded()
    {
        var assembly = typeof(MigrationRunner).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("migrations/", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => new Migration(n["migrations/".Length..], Read(assembly, n)))
            .ToList();
    }

    /// <summary>Applies what is missing; returns the names applied (empty when the database was up to date).</summary>
    public IReadOnlyList<string> Migrate() => Migrate(Embedded());

    public IReadOnlyList<string> Migrate(IReadOnlyList<Migration> migrations)
    {
        using var connection = (SqliteConnection)factory.Open();
        // WAL lets readers carry on while one writer writes; the setting persists in the database file.
        connection.Execute("PRAGMA journal_mode = WAL;");
        connection.Execute("""
            CREATE TABLE IF NOT EXISTS schema_journal (
                name        TEXT PRIMARY KEY,
                checksum    TEXT NOT NULL,
                applied_utc TEXT NOT NULL
            );
            """);

        var applied = new List<string>();
        foreach (var migration in migrations.OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            using var tx = connection.BeginTransaction(deferred: false);
            var landed = connection.QuerySingleOrDefault<string>(
                "SELECT checksum FROM schema_journal WHERE name = @Name", new { migration.Name }, tx);
            if (landed is not null)
            {
                if (landed != migration.Checksum)
                {
                    throw new MigrationException(
                        $"The migration '{migration.Name}' was changed after it was applied to this database " +
                        $"(checksum {landed[..12]}... recorded, {migration.Checksum[..12]}... now). Landed migrations must " +
                        "never be edited: restore the original file and put the change in a new numbered migration.");
                }

                continue;
            }

            try
            {
                connection.Execute(migration.Sql, transaction: tx);
            }
            catch (SqliteException ex)
            {
                throw new MigrationException($"The migration '{migration.Name}' failed and was rolled back: {ex.Message}");
            }

            connection.Execute(
                "INSERT INTO schema_journal (name, checksum, applied_utc) VALUES (@Name, @Checksum, @At)",
                new { migration.Name, migration.Checksum, At = DateTime.UtcNow.ToString("O") }, tx);
            tx.Commit();
            applied.Add(migration.Name);
        }

        return applied;
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
