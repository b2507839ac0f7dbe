using System.Data.Common;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using AuditTool.Data.Migrations;
using Dapper;
using FluentMigrator.Runner;
using FluentMigrator.Runner.Initialization;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Data;

public sealed class MigrationException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Brings the database up to date with FluentMigrator: the migrations of the top-level <c>migrations/</c> folder,
/// compiled into this assembly, each applied once in its own transaction and recorded in <c>VersionInfo</c>.
/// A database made by the first release (its own runner's <c>schema_journal</c>, 0001-0006) is handed over first:
/// its history becomes FluentMigrator's, checked script by script, so nothing is applied twice.
/// </summary>
public sealed class MigrationRunner(ConnectionFactory factory)
{
    /// <summary>The scripts of the first release's runner, by the name it recorded, and the version that now runs them.</summary>
    public static IReadOnlyDictionary<string, long> JournalNames { get; } = new Dictionary<string, long>(StringComparer.Ordinal)
    {
        ["0001_create_agencies_and_users.sql"] = 1,
        ["0002_create_templates.sql"] = 2,
        ["0003_create_audits.sql"] = 3,
        ["0004_create_audit_log.sql"] = 4,
        ["0005_template_drafts.sql"] = 5,
        ["0006_audit_cohort.sql"] = 6,
    };

    /// <summary>Applies what is missing; returns the migrations applied ("0007 ..."), empty when up to date.</summary>
    public IReadOnlyList<string> Migrate() => Migrate([]);

    /// <summary>As <see cref="Migrate()"/>, with the migrations of further assemblies too (tests use this).</summary>
    public IReadOnlyList<string> Migrate(IReadOnlyList<Assembly> extraAssemblies)
    {
        // Two processes starting on one database (two servers, or a server and a verb) take turns: the second finds
        // nothing to do.
        using var turn = StartupLock.Take(factory, StartupLock.MigrationKey);
        if (factory.Engine == DatabaseEngine.Sqlite)
        {
            using var connection = factory.Open();
            // WAL lets readers carry on while one writer writes; the setting persists in the database file.
            connection.Execute("PRAGMA journal_mode = WAL;");
            TakeOverJournal(factory, connection);
        }

        using var services = new ServiceCollection()
            .AddFluentMigratorCore()
            .ConfigureRunner(runner => (factory.Engine == DatabaseEngine.Sqlite ? runner.AddSQLite() : runner.AddPostgres())
                .WithGlobalConnectionString(factory.ConnectionString)
                .ScanIn([ScriptMigration.Assembly, .. extraAssemblies]).For.Migrations())
            .Configure<RunnerOptions>(o => o.TransactionPerSession = false)
            .BuildServiceProvider(validateScopes: false);
        using var scope = services.CreateScope();
        var runner = scope.ServiceProvider.GetRequiredService<IMigrationRunner>();
        var known = runner.MigrationLoader.LoadMigrations();
        var versions = scope.ServiceProvider.GetRequiredService<FluentMigrator.Runner.IVersionLoader>();
        var before = known.Keys.Where(versions.VersionInfo.HasAppliedMigration).ToHashSet();
        try
        {
            runner.MigrateUp();
        }
        catch (Exception ex) when (ex is not MigrationException)
        {
            var failed = known.Values.FirstOrDefault(m => !before.Contains(m.Version) && !HasApplied(m.Version));
            var name = failed is null ? "a migration" : $"the migration {Describe(failed.Version, failed.Description)}";
            throw new MigrationException($"Upgrading the database failed at {name}, which was rolled back: {Innermost(ex).Message}", ex);
        }

        return known.Values.Where(m => !before.Contains(m.Version)).Select(m => Describe(m.Version, m.Description)).ToList();

        bool HasApplied(long version)
        {
            versions.LoadVersionInfo();
            return versions.VersionInfo.HasAppliedMigration(version);
        }
    }

    private static string Describe(long version, string? description) =>
        $"{version.ToString("0000", CultureInfo.InvariantCulture)} {description}".TrimEnd();

    private static Exception Innermost(Exception ex) => ex.InnerException is null ? ex : Innermost(ex.InnerException);

    /// <summary>SHA-256 of a script with line endings normalised, as the first release's runner recorded it.</summary>
    public static string Checksum(string sql) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sql.Replace("\r\n", "\n")))).ToLowerInvariant();

    /// <summary>
    /// The first release recorded its migrations in <c>schema_journal</c>. When a database has that journal and no
    /// <c>VersionInfo</c> yet, every journal entry must be one of this release's scripts, unchanged; FluentMigrator's
    /// table is then created with the same history, in one transaction. The journal itself is kept, untouched.
    /// </summary>
    private static void TakeOverJournal(ConnectionFactory factory, DbConnection connection)
    {
        using var tx = factory.BeginWrite(connection);
        var hasJournal = connection.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_journal'", transaction: tx) > 0;
        var hasVersionInfo = connection.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'VersionInfo'", transaction: tx) > 0;
        if (!hasJournal || hasVersionInfo)
        {
            return;
        }

        var journal = connection.Query<(string Name, string Checksum, string AppliedUtc)>(
            "SELECT name, checksum, applied_utc FROM schema_journal ORDER BY name", transaction: tx).ToList();
        var descriptions = typeof(ScriptMigration).Assembly.GetTypes()
            .Select(t => t.GetCustomAttribute<FluentMigrator.MigrationAttribute>())
            .OfType<FluentMigrator.MigrationAttribute>()
            .ToDictionary(a => a.Version, a => a.Description);
        connection.Execute("""
            CREATE TABLE "VersionInfo" ("Version" INTEGER NOT NULL, "AppliedOn" DATETIME, "Description" TEXT);
            CREATE UNIQUE INDEX "UC_Version" ON "VersionInfo" ("Version" ASC);
            """, transaction: tx);
        foreach (var entry in journal)
        {
            if (!JournalNames.TryGetValue(entry.Name, out var version))
            {
                throw new MigrationException(
                    $"The database records the migration '{entry.Name}', which this release does not know. It was made by " +
                    "another version of AuditTool: use that version, or restore a backup made with this one.");
            }

            var script = ScriptMigration.Script("sqlite", Path.GetFileNameWithoutExtension(entry.Name));
            if (!string.Equals(Checksum(script), entry.Checksum, StringComparison.Ordinal))
            {
                throw new MigrationException(
                    $"The migration '{entry.Name}' this database records differs from this release's script " +
                    $"(checksum {entry.Checksum[..Math.Min(12, entry.Checksum.Length)]}... recorded, {Checksum(script)[..12]}... now). " +
                    "Landed migrations must never be edited: restore the original file and put the change in a new migration.");
            }

            var appliedOn = DateTime.TryParse(entry.AppliedUtc, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) ? at : DateTime.UtcNow;
            connection.Execute(
                "INSERT INTO \"VersionInfo\" (\"Version\", \"AppliedOn\", \"Description\") VALUES (@version, @appliedOn, @description)",
                new
                {
                    version,
                    appliedOn = appliedOn.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    description = descriptions.GetValueOrDefault(version, entry.Name),
                },
                tx);
        }

        tx.Commit();
    }
}
