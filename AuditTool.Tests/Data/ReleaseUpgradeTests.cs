using System.Text;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Packages;
using AuditTool.Domain.Security;
using AuditTool.Tests.Support;
using AuditTool.Web.Cli;
using AuditTool.Web.Hosting;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Tests.Data;

/// <summary>
/// A database made by the first release (net8, its own migration runner: schema_journal with 0001-0006), holding its
/// demo data and an imported audit, upgrades in place: the history passes to FluentMigrator, nothing is applied twice,
/// no row is lost, every audit exports the package the release exported, and every demo account still signs in.
/// The fixture and the release's exports are in Data/Fixtures (see its README).
/// </summary>
public sealed class ReleaseUpgradeTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(RepoPaths.Root, "AuditTool.Tests", "Data", "Fixtures");
    private static readonly string[] Tables =
    [
        "agencies", "users", "templates", "template_versions", "template_sections", "template_questions", "audits",
        "audit_agencies", "audit_cases", "agency_returns", "answers", "moderations", "findings", "actions", "audit_log",
        "audit_cohort", "schema_journal",
    ];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "audittool-upgrade", Guid.NewGuid().ToString("N"));

    public ReleaseUpgradeTests()
    {
        Directory.CreateDirectory(_folder);
        File.Copy(Path.Combine(Fixtures, "release-0006.db"), Db);
    }

    private string Db => Path.Combine(_folder, "audittool.db");

    private SqliteConnection Open() => new($"Data Source={Db};Pooling=false");

    private Dictionary<string, long> RowCounts()
    {
        using var connection = Open();
        return Tables.ToDictionary(t => t, t => connection.ExecuteScalar<long>($"SELECT COUNT(*) FROM {t}"));
    }

    /// <summary>
    /// Packages have since gained the audit's reliability threshold (migration 40: audits from before it read 0.67) and
    /// the figures computed from the returns, after everything else. Without exactly those, the rest must be the
    /// first release's package byte for byte.
    /// </summary>
    private static string WithoutWhatLaterReleasesAdded(string package)
    {
        const string threshold = "\"minimumCount\": 5,\n      \"reliability\": 0.67\n    },";
        Assert.Equal(1, package.Split(threshold).Length - 1);
        var figures = package.IndexOf(",\n  \"figures\": {\n    \"reliability\": [", StringComparison.Ordinal);
        Assert.True(figures > 0, "the package carries no figures");
        Assert.EndsWith("\n  }\n}", package);
        // Later releases also write when a published audit was published.
        var withoutPublished = System.Text.RegularExpressions.Regex.Replace(package[..figures], "\n    \"published\": \"[^\"]*\",", "");
        withoutPublished = System.Text.RegularExpressions.Regex.Replace(withoutPublished, ",\n    \"published\": \"[^\"]*\"\n  }", "\n  }");
        return withoutPublished.Replace(threshold, "\"minimumCount\": 5\n    },", StringComparison.Ordinal) + "\n}";
    }

    [Fact]
    public async Task TheReleasesAuditLog_IsSealedIntoTheChainByTheUpgrade_AndChecksIntact()
    {
        var lines = RowCounts()["audit_log"];
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        Assert.True(await CommandLine.RunAsync(["migrate", "--db", Db], stdout, stderr, TextReader.Null) == 0, stderr.ToString());
        var code = await CommandLine.RunAsync(["verify-audit-log", "--db", Db], stdout, stderr, TextReader.Null);

        Assert.True(code == 0, stderr.ToString());
        Assert.True(lines > 0);
        Assert.Contains($"All {lines:N0} entries are intact", stdout.ToString());
    }

    [Fact]
    public async Task MigrateVerb_TakesOverTheJournal_AppliesOnlyWhatIsNew_AndLosesNoRow()
    {
        var before = RowCounts();
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await CommandLine.RunAsync(["migrate", "--db", Db], stdout, stderr, TextReader.Null);

        Assert.True(code == 0, stderr.ToString());
        Assert.DoesNotContain("0001", stdout.ToString());
        Assert.DoesNotContain("0006", stdout.ToString());
        using (var connection = Open())
        {
            var history = connection.Query<(long Version, string AppliedOn)>("SELECT Version, AppliedOn FROM VersionInfo ORDER BY Version").ToList();
            Assert.Equal([1L, 2, 3, 4, 5, 6], history.Take(6).Select(h => h.Version));
            Assert.All(history.Take(6), h => Assert.StartsWith("2026-11-29 01:54:05", h.AppliedOn)); // the release's own dates
        }

        var after = RowCounts();
        // Migrate writes no audit-log line; every other table keeps every row.
        Assert.Equal(before, after);

        var again = new StringWriter();
        Assert.Equal(0, await CommandLine.RunAsync(["migrate", "--db", Db], again, stderr, TextReader.Null));
        Assert.Contains("up to date", again.ToString());
    }

    [Fact]
    public async Task FirstStart_UpgradesTheDatabase_EveryAuditExportsTheSamePackage_AndEveryDemoAccountSignsIn()
    {
        var before = RowCounts();
        await using (var app = AuditToolHost.Build(["--db", Db, "--urls", "http://127.0.0.1:0", "--environment", "Production"]))
        {
            await app.StartAsync();
            await app.StopAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using var services = AuditToolServices.For(Db);
        var after = RowCounts();
        Assert.Equal(before.Where(t => t.Key != "audit_log"), after.Where(t => t.Key != "audit_log"));
        Assert.True(after["audit_log"] >= before["audit_log"]);

        var scrutineer = await services.GetRequiredService<IUserRepository>().GetByUserNameAsync("scrutineer");
        var actor = new Actor(scrutineer!.Id, scrutineer.UserName, scrutineer.Role, scrutineer.AgencyId);
        foreach (var auditId in new[] { 1L, 2, 3 })
        {
            using var stream = new MemoryStream();
            await services.GetRequiredService<AuditPackageService>().ExportAsync(actor, auditId, stream);
            var expected = await File.ReadAllTextAsync(Path.Combine(Fixtures, $"release-0006-audit-{auditId}.json"));
            Assert.Equal(expected, WithoutWhatLaterReleasesAdded(Encoding.UTF8.GetString(stream.ToArray())));
        }

        var signIn = services.GetRequiredService<SignInService>();
        foreach (var account in FirstRun.DemoAccounts)
        {
            var result = await signIn.SignInAsync(account.UserName, FirstRun.DemoPassword);
            // Administrators and scrutineers are asked to set up a second factor next: their password was accepted.
            var expected = account.Role is Role.Administrator or Role.Scrutineer
                ? SignInOutcome.SecondFactorSetUpNeeded
                : SignInOutcome.Success;
            Assert.True(result.Outcome == expected, $"{account.UserName}: {result.Outcome} {result.Message}");
        }
    }

    [Fact]
    public async Task AfterTheUpgrade_TheDatabaseStillRefusesChangesToTheAuditLog_AndToPublishedTemplates()
    {
        Assert.Equal(0, await CommandLine.RunAsync(["migrate", "--db", Db], new StringWriter(), new StringWriter(), TextReader.Null));
        using var connection = Open();

        var update = Assert.ThrowsAny<SqliteException>(() => connection.Execute("UPDATE audit_log SET action = 'tampered'"));
        var delete = Assert.ThrowsAny<SqliteException>(() => connection.Execute("DELETE FROM audit_log"));
        var template = Assert.ThrowsAny<SqliteException>(() => connection.Execute(
            "UPDATE template_questions SET text = 'changed' WHERE template_version_id IN (SELECT id FROM template_versions WHERE status = 'published')"));

        Assert.Contains("append-only", update.Message);
        Assert.Contains("append-only", delete.Message);
        Assert.Contains("cannot be changed", template.Message);
    }

    [Fact]
    public async Task AJournalWithAnEditedScript_IsRefused_AndNothingChanges()
    {
        using (var connection = Open())
        {
            // The journal itself is not append-only: make it claim a different 0003 than this release ships.
            connection.Execute("UPDATE schema_journal SET checksum = 'deadbeefdeadbeef' WHERE name = '0003_create_audits.sql'");
        }

        var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(["migrate", "--db", Db], new StringWriter(), stderr, TextReader.Null);

        Assert.NotEqual(0, code);
        Assert.Contains("0003_create_audits.sql", stderr.ToString());
        Assert.Contains("never be edited", stderr.ToString());
        using var check = Open();
        Assert.Equal(0, check.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'VersionInfo'"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
