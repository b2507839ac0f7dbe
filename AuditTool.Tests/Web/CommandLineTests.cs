using AuditTool.Data;
using AuditTool.Tests.Support;
using AuditTool.Web.Cli;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AuditTool.Tests.Web;

/// <summary>The admin verbs, on a SQLite file and on a PostgreSQL database (<c>--db postgresql://...</c>).</summary>
public abstract class CommandLineTests : IDisposable
{
    protected string Folder { get; } = Path.Combine(Path.GetTempPath(), "audittool-cli", Guid.NewGuid().ToString("N"));

    protected CommandLineTests(DatabaseEngine engine)
    {
        Engine = engine;
        Directory.CreateDirectory(Folder);
        Db = engine == DatabaseEngine.Sqlite ? Path.Combine(Folder, "cli.db") : PostgresServer.Instance.CreateDatabase("cli");
    }

    protected DatabaseEngine Engine { get; }

    /// <summary>What --db is given: the SQLite file, or the PostgreSQL URI.</summary>
    protected string Db { get; }

    /// <summary>Whether the verb left any table behind (a SQLite file not even created; an empty PostgreSQL database).</summary>
    private bool DatabaseTouched() => Engine == DatabaseEngine.Sqlite
        ? File.Exists(Db)
        : Count("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'") > 0;

    protected static async Task<(int Code, string Out, string Err)> RunAsync(string stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, stdout, stderr, new StringReader(stdin));
        return (code, stdout.ToString(), stderr.ToString());
    }

    protected long Count(string sql)
    {
        using var factory = new ConnectionFactory(DatabaseTarget.Parse(Db, Folder));
        using var connection = factory.Open();
        return connection.ExecuteScalar<long>(sql);
    }

    [Fact]
    public async Task UnknownVerb_PrintsUsage_AndExitsNonZero()
    {
        var (code, _, err) = await RunAsync("", "frobnicate", "--db", Db);

        Assert.Equal(CommandLine.Usage, code);
        Assert.Contains("Unknown verb 'frobnicate'", err);
        Assert.Contains("Usage: AuditTool.Web <verb>", err);
        Assert.False(DatabaseTouched());
    }

    [Fact]
    public async Task Migrate_CreatesTheDatabase_ThenReportsUpToDate()
    {
        var first = await RunAsync("", "migrate", "--db", Db);
        var second = await RunAsync("", "migrate", "--db", Db);

        Assert.Equal(0, first.Code);
        Assert.Contains("Applied", first.Out);
        Assert.Equal(0, second.Code);
        Assert.Contains("up to date", second.Out);
        Assert.Contains("0001 Agencies and accounts", first.Out);
        Assert.Contains($"Applied {Count("SELECT COUNT(*) FROM \"VersionInfo\"")} migration(s)", first.Out);
    }

    [Fact]
    public async Task CreateUser_MakesTheFirstAdministrator_WhoCanSignIn()
    {
        var (code, output, err) = await RunAsync("first-admin-password\n", "create-user", "--db", Db, "--username", "chief",
            "--role", "administrator", "--password-stdin");

        Assert.True(code == 0, err);
        Assert.Contains("Created administrator 'chief'", output);
        Assert.Equal(1, Count("SELECT COUNT(*) FROM users WHERE user_name = 'chief' AND role = 'administrator'"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM agencies"));
        Assert.DoesNotContain("first-admin-password", Engine == DatabaseEngine.Sqlite ? File.ReadAllText(Db) : string.Join("|", Rows("SELECT password_hash FROM users")));
    }

    [Fact]
    public async Task CreateUser_DuplicateUserName_FailsAndChangesNothing()
    {
        await RunAsync("", "create-user", "--db", Db, "--username", "chief", "--role", "administrator", "--password", "first-admin-password");

        var (code, _, err) = await RunAsync("", "create-user", "--db", Db, "--username", "CHIEF", "--role", "executive",
            "--password", "second-password-long");

        Assert.NotEqual(0, code);
        Assert.Contains("already taken", err);
        Assert.Equal(1, Count("SELECT COUNT(*) FROM users"));
        Assert.Equal("administrator", Count("SELECT COUNT(*) FROM users WHERE role = 'administrator'") == 1 ? "administrator" : "changed");
    }

    [Fact]
    public async Task CreateUser_BadArguments_ListEveryProblem_AndTouchNoDatabase()
    {
        var (code, _, err) = await RunAsync("", "create-user", "--db", Db, "--role", "overlord", "--password", "short");

        Assert.Equal(CommandLine.Usage, code);
        Assert.Contains("--username is required", err);
        Assert.Contains("--role must be one of", err);
        Assert.Contains("at least 12", err);
        Assert.False(DatabaseTouched());
    }

    [Fact]
    public async Task CreateUser_AuditorForAnUnknownAgency_IsRefused()
    {
        var (code, _, err) = await RunAsync("", "create-user", "--db", Db, "--username", "p.auditor", "--role", "auditor",
            "--agency", "navy", "--password", "long-enough-password");

        Assert.NotEqual(0, code);
        Assert.Contains("no agency with the key 'navy'", err);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM users"));
    }

    [Fact]
    public async Task UnknownOption_IsRefused()
    {
        var (code, _, err) = await RunAsync("", "migrate", "--db", Db, "--force");

        Assert.Equal(CommandLine.Usage, code);
        Assert.Contains("unknown option '--force'", err);
    }

    [Fact]
    public async Task ImportTemplate_InvalidFile_NamesTheFileAndPath_AndSavesNothing()
    {
        var file = Path.Combine(Folder, "bad.json");
        await File.WriteAllTextAsync(file, """{ "format": "audittool.template/v1", "key": "bad", "title": "Bad", "sections": [ { "key": "s", "title": "S", "questions": [ { "key": "q", "text": "Q", "type": "scale", "scale": "nope" } ] } ] }""");

        var (code, _, err) = await RunAsync("", "import-template", file, "--db", Db);

        Assert.NotEqual(0, code);
        Assert.Contains("bad.json", err);
        Assert.Contains("\"nope\" does not exist", err);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM templates"));
    }

    [Fact]
    public async Task ExportVerbs_WriteThePackageAndTheWorkbook_AndRefuseAnUnknownAudit()
    {
        using var scenario = await AuditTool.Tests.Support.AuditScenario.CreateAsync(Engine, cases: 2);
        var package = Path.Combine(Folder, "audit.json");
        var workbook = Path.Combine(Folder, "audit.xlsx");

        var json = await RunAsync("", "export-audit", scenario.AuditId.ToString(), package, "--db", scenario.Db.Location);
        var xlsx = await RunAsync("", "export-xlsx", scenario.AuditId.ToString(), workbook, "--db", scenario.Db.Location);
        var missing = await RunAsync("", "export-xlsx", "999", Path.Combine(Folder, "none.xlsx"), "--db", scenario.Db.Location);
        var badId = await RunAsync("", "export-audit", "seven", package, "--db", scenario.Db.Location);

        Assert.True(json.Code == 0, json.Err);
        Assert.Contains("\"format\": \"audittool.audit/v1\"", File.ReadAllText(package));
        Assert.True(xlsx.Code == 0, xlsx.Err);
        Assert.Empty(AuditTool.Tests.Support.Spreadsheets.ValidationErrors(workbook));
        Assert.NotEqual(0, missing.Code);
        Assert.False(File.Exists(Path.Combine(Folder, "none.xlsx")));
        Assert.False(File.Exists(Path.Combine(Folder, "none.xlsx.partial")));
        Assert.Equal(CommandLine.Usage, badId.Code);
    }

    [Fact]
    public async Task ImportAudit_AnInvalidPackage_SavesNothing_AndAValidOneIsExportedBackTheSame()
    {
        using var scenario = await AuditTool.Tests.Support.AuditScenario.CreateAsync(Engine, cases: 2);
        var exported = Path.Combine(Folder, "scenario.json");
        Assert.Equal(0, (await RunAsync("", "export-audit", scenario.AuditId.ToString(), exported, "--db", scenario.Db.Location)).Code);
        await RunAsync("", "migrate", "--db", Db);
        var bad = Path.Combine(Folder, "bad.json");
        await File.WriteAllTextAsync(bad, File.ReadAllText(exported).Replace("\"kind\": \"police\"", "\"kind\": \"navy\""));

        var refused = await RunAsync("", "import-audit", bad, "--db", Db);
        var audits = Count("SELECT COUNT(*) FROM audits");
        var imported = await RunAsync("", "import-audit", exported, "--db", Db);
        var again = Path.Combine(Folder, "again.json");
        var export = await RunAsync("", "export-audit", imported.Out.Trim(), again, "--db", Db);

        Assert.NotEqual(0, refused.Code);
        Assert.Contains("bad.json", refused.Err);
        Assert.Equal(0, audits);
        Assert.True(imported.Code == 0, imported.Err);
        Assert.True(export.Code == 0, export.Err);
        Assert.Equal(File.ReadAllText(exported), File.ReadAllText(again));
    }

    [Fact]
    public async Task ExportAudit_AfterAControllingAnswerChanged_ImportsIntoAnEmptyDatabase()
    {
        // As in the agency that answered the follow-up, then changed the answer that asks it: the follow-up is hidden.
        using var scenario = await AuditTool.Tests.Support.AuditScenario.CreateAsync(Engine, cases: 1);
        var police = await scenario.ReturnIdAsync("C-001", scenario.PoliceId);
        await scenario.Returns.SaveAnswerAsync(scenario.PoliceAuditor, police, "seen-alone", "yes");
        await scenario.Returns.SaveAnswerAsync(scenario.PoliceAuditor, police, "voice", "yes");
        await scenario.Returns.SaveEvidenceAsync(scenario.PoliceAuditor, police, "voice", "Spoke to her alone.");
        await scenario.Returns.SaveAnswerAsync(scenario.PoliceAuditor, police, "seen-alone", "no");
        var exported = Path.Combine(Folder, "hidden.json");
        Assert.Equal(0, (await RunAsync("", "export-audit", scenario.AuditId.ToString(), exported, "--db", scenario.Db.Location)).Code);

        var imported = await RunAsync("", "import-audit", exported, "--db", Db);
        var again = Path.Combine(Folder, "hidden-again.json");
        var export = await RunAsync("", "export-audit", imported.Out.Trim(), again, "--db", Db);

        Assert.True(imported.Code == 0, imported.Err);
        Assert.True(export.Code == 0, export.Err);
        var police1 = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(exported))!["returns"]!.AsArray().Single(r => (string?)r!["agency"] == "police")!;
        Assert.Equal("no", (string?)police1["answers"]!["seen-alone"]);
        Assert.Null(police1["answers"]!["voice"]);
        Assert.Null(police1["evidence"]!["voice"]);
        Assert.Equal(File.ReadAllText(exported), File.ReadAllText(again));
    }

    [Theory]
    [InlineData("import-audit", 64)]
    [InlineData("import-template", 32)]
    public async Task ImportVerbs_JsonNestedTooDeep_SayHowDeepIsAllowed(string verb, int depth)
    {
        var file = Path.Combine(Folder, "deep.json");
        await File.WriteAllTextAsync(file, new string('[', 100_000) + new string(']', 100_000));

        var (code, _, err) = await RunAsync("", verb, file, "--db", Db);

        Assert.Equal(CommandLine.Failed, code);
        Assert.Contains($"deep.json: $: the file is nested deeper than {depth} levels (line 1, position {depth + 1})", err);
        Assert.DoesNotContain("not valid JSON", err);
    }

    private IReadOnlyList<string> Rows(string sql)
    {
        using var factory = new ConnectionFactory(DatabaseTarget.Parse(Db, Folder));
        using var connection = factory.Open();
        return connection.Query<string>(sql).ToList();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Engine == DatabaseEngine.Postgres)
        {
            PostgresServer.Instance.DropDatabase(Db);
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public sealed class CommandLineTestsOnSqlite() : CommandLineTests(DatabaseEngine.Sqlite)
{
    [Fact]
    public async Task MissingDbFolder_IsAClearError_AndCreatesNothing()
    {
        var missing = Path.Combine(Folder, "no-such-folder", "x.db");

        var (code, _, err) = await RunAsync("", "migrate", "--db", missing);

        Assert.Equal(CommandLine.Usage, code);
        Assert.Contains("does not exist", err);
        Assert.False(Directory.Exists(Path.GetDirectoryName(missing)));
    }

    [Fact]
    public async Task Backup_CopiesTheDatabase()
    {
        await RunAsync("", "create-user", "--db", Db, "--username", "chief", "--role", "administrator", "--password", "first-admin-password");
        var target = Path.Combine(Folder, "backup.db");

        var (code, _, err) = await RunAsync("", "backup", target, "--db", Db);

        Assert.True(code == 0, err);
        using var connection = new SqliteConnection($"Data Source={target};Pooling=false");
        Assert.Equal("ok", connection.ExecuteScalar<string>("PRAGMA integrity_check"));
        Assert.Equal(1, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM users WHERE user_name = 'chief'"));
    }
}

public sealed class CommandLineTestsOnPostgres() : CommandLineTests(DatabaseEngine.Postgres)
{
    [Fact]
    public async Task Backup_OnPostgres_SaysWhatToRunInstead_AndWritesNothing()
    {
        await RunAsync("", "migrate", "--db", Db);
        var target = Path.Combine(Folder, "backup.dump");

        var (code, _, err) = await RunAsync("", "backup", target, "--db", Db);

        Assert.Equal(CommandLine.Usage, code);
        Assert.Contains("pg_dump --format=custom", err);
        Assert.Contains($"--file={target}", err);
        Assert.DoesNotContain(PostgresServer.AppPassword, err);
        Assert.False(File.Exists(target));
    }
}
