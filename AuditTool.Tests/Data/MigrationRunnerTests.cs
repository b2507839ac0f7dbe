using AuditTool.Data;
using AuditTool.Data.Migrations;
using AuditTool.Tests.Support;
using Dapper;

namespace AuditTool.Tests.Data;

public class MigrationRunnerTests
{
    /// <summary>Every migration the product has, in order, as the runner reports them ("0001 Agencies and accounts").</summary>
    private static IReadOnlyList<string> AllMigrations()
    {
        using var db = new TestDatabase(migrate: false);
        return db.Get<MigrationRunner>().Migrate();
    }

    [Fact]
    public void Migrate_OnEmptyDatabase_CreatesTheWholeSchemaInWalMode()
    {
        using var db = new TestDatabase(migrate: false);

        var applied = db.Get<MigrationRunner>().Migrate();

        Assert.StartsWith("0001 ", applied[0]);
        Assert.Equal(applied.OrderBy(a => a, StringComparer.Ordinal), applied);
        Assert.True(applied.Count >= 6);
        using var connection = db.Factory.Open();
        var tables = connection.Query<string>("SELECT name FROM sqlite_master WHERE type = 'table'").ToHashSet();
        foreach (var table in new[] { "agencies", "users", "templates", "template_versions", "template_sections",
                     "template_questions", "audits", "audit_agencies", "audit_cases", "agency_returns", "answers",
                     "moderations", "findings", "actions", "audit_log", "audit_cohort", "VersionInfo" })
        {
            Assert.Contains(table, tables);
        }

        Assert.Equal(applied.Count, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM VersionInfo"));
        Assert.Equal("wal", connection.ExecuteScalar<string>("PRAGMA journal_mode"));
        Assert.Equal(1, connection.ExecuteScalar<long>("PRAGMA foreign_keys"));
        Assert.Equal(ConnectionFactory.BusyTimeoutMs, connection.ExecuteScalar<long>("PRAGMA busy_timeout"));
    }

    [Fact]
    public void Migrate_RunAgain_AppliesNothing()
    {
        using var db = new TestDatabase();

        var again = db.Get<MigrationRunner>().Migrate();

        Assert.Empty(again);
        using var connection = db.Factory.Open();
        Assert.Equal(AllMigrations().Count, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM VersionInfo"));
    }

    [Fact]
    public void LandedScripts_AreTheFirstReleasesScripts_ByteForByte()
    {
        // The checksums the first release's runner recorded in every database it made (see the release fixture).
        var recorded = new Dictionary<string, string>
        {
            ["0001_create_agencies_and_users.sql"] = "c051770b676aa16ccbe8979ef7cc5857a74bde9c556392a1cd050b7056463d6b",
            ["0002_create_templates.sql"] = "24714eeb54c95e66867eadc510eaccce906110d250fb418d92bf4803ee4bbc37",
            ["0003_create_audits.sql"] = "0803a078d781221c59a9105db8cbc5d2a7c28e98409cb7d76d669045e7f96e9b",
            ["0004_create_audit_log.sql"] = "a5439464c2c2161f11da6a0136e1101883c880252b795c07c93d09e1b203dce3",
            ["0005_template_drafts.sql"] = "092b29c7c3940176443ed8361d16ef51144ae9cc0c1375cbb812cfd05f23264c",
            ["0006_audit_cohort.sql"] = "ec355a1e63c42563f92aaeda50bc27044f8e5c749a07f9134fee488348f26ae9",
        };

        foreach (var (name, checksum) in recorded)
        {
            Assert.Equal(checksum, MigrationRunner.Checksum(ScriptMigration.Script("sqlite", Path.GetFileNameWithoutExtension(name))));
        }

        Assert.Equal(recorded.Keys.Order(), MigrationRunner.JournalNames.Keys.Order());
    }

    [Fact]
    public void Checksum_IgnoresLineEndings()
    {
        Assert.Equal(MigrationRunner.Checksum("SELECT 1;\nSELECT 2;"), MigrationRunner.Checksum("SELECT 1;\r\nSELECT 2;"));
        Assert.NotEqual(MigrationRunner.Checksum("SELECT 1;"), MigrationRunner.Checksum("SELECT 2;"));
    }

    [Fact]
    public void Migrate_AFailingMigration_RollsBackAndRecordsNothing()
    {
        using var db = new TestDatabase();

        var ex = Assert.Throws<MigrationException>(() => db.Get<MigrationRunner>().Migrate([typeof(BrokenMigration).Assembly]));

        Assert.Contains("9999 A migration that fails half-way", ex.Message);
        Assert.Contains("rolled back", ex.Message);
        using var connection = db.Factory.Open();
        Assert.Equal(0, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half_done'"));
        Assert.Equal(0, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM VersionInfo WHERE Version = 9999"));
        Assert.Empty(db.Get<MigrationRunner>().Migrate()); // the product's own migrations are still all there
    }

    [Fact]
    public void AuditLog_RefusesUpdateAndDelete()
    {
        using var db = new TestDatabase();
        using var connection = db.Factory.Open();
        connection.Execute("INSERT INTO audit_log (at_utc, user_name, action, entity) VALUES ('2026-01-01T00:00:00Z', 'x', 'create', 'agency')");

        var update = Assert.ThrowsAny<Exception>(() => connection.Execute("UPDATE audit_log SET action = 'tampered'"));
        var delete = Assert.ThrowsAny<Exception>(() => connection.Execute("DELETE FROM audit_log"));

        Assert.Contains("append-only", update.Message);
        Assert.Contains("append-only", delete.Message);
        Assert.Equal("create", connection.ExecuteScalar<string>("SELECT action FROM audit_log"));
    }
}

/// <summary>Only for <see cref="MigrationRunnerTests.Migrate_AFailingMigration_RollsBackAndRecordsNothing"/>.</summary>
[FluentMigrator.Migration(9999, "A migration that fails half-way")]
public sealed class BrokenMigration : FluentMigrator.ForwardOnlyMigration
{
    public override void Up() =>
        Execute.Sql("CREATE TABLE half_done (id INTEGER); INSERT INTO no_such_table VALUES (1);");
}

public class MigrationScriptTests
{
    [Fact]
    public void EveryScriptMigration_HasAScriptForEveryDialect_AndNoScriptIsLeftOver()
    {
        var migrations = typeof(ScriptMigration).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(ScriptMigration)) && !t.IsAbstract)
            .Select(t => ((ScriptMigration)Activator.CreateInstance(t)!).Name)
            .ToList();

        Assert.True(migrations.Count >= 8);
        var expected = migrations.SelectMany(m => ScriptMigration.Dialects.Select(d => $"migrations/{d.Folder}/{m}.sql")).Order();
        Assert.Equal(expected, ScriptMigration.EmbeddedScripts());
    }
}
