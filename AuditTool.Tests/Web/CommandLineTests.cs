using AuditTool.Data;
using AuditTool.Web.Cli;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AuditTool.Tests.Web;

public sealed class CommandLineTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "audittool-cli", Guid.NewGuid().ToString("N"));

    public CommandLineTests() => Directory.CreateDirectory(_folder);

    private string Db => Path.Combine(_folder, "cli.db");

    private static async Task<(int Code, string Out, string Err)> RunAsync(string stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, stdout, stderr, new StringReader(stdin));
        return (code, stdout.ToString(), stderr.ToString());
    }

    private long Count(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Db};Pooling=false");
        return connection.ExecuteScalar<long>(sql);
    }

    [Fact]
    public async Task UnknownVerb_PrintsUsage_AndExitsNonZero()
    {
        var (code, _, err) = await RunAsync("", "frobnicate", "--db", Db);

        Assert.Equal(CommandLine.Usage, code);
        Assert.Contains("Unknown verb 'frobnicate'", err);
        Assert.Contains("Usage: AuditTool.Web <verb>", err);
        Assert.False(File.Exists(Db));
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
        Assert.Contains($"Applied {Count("SELECT COUNT(*) FROM VersionInfo")} migration(s)", first.Out);
    }

    [Fact]
    public async Task MissingDbFolder_IsAClearError_AndCreatesNothing()
    {
        var missing = Path.Combine(_folder, "no-such-folder", "x.db");

        var (code, _, err) = await RunAsync("", "migrate", "--db", missing);

        Assert.Equal(CommandLine.Usage, code);
        Assert.Contains("does not exist", err);
        Assert.False(Directory.Exists(Path.GetDirectoryName(missing)));
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
        Assert.DoesNotContain("first-admin-password", File.ReadAllText(Db));
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
        Assert.False(File.Exists(Db));
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
        var file = Path.Combine(_folder, "bad.json");
        await File.WriteAllTextAsync(file, """{ "format": "audittool.template/v1", "key": "bad", "title": "Bad", "sections": [ { "key": "s", "title": "S", "questions": [ { "key": "q", "text": "Q", "type": "scale", "scale": "nope" } ] } ] }""");

        var (code, _, err) = await RunAsync("", "import-template", file, "--db", Db);

        Assert.NotEqual(0, code);
        Assert.Contains("bad.json", err);
        Assert.Contains("\"nope\" does not exist", err);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM templates"));
    }

    [Fact]
    public async Task Backup_CopiesTheDatabase()
    {
        await RunAsync("", "create-user", "--db", Db, "--username", "chief", "--role", "administrator", "--password", "first-admin-password");
        var target = Path.Combine(_folder, "backup.db");

        var (code, _, err) = await RunAsync("", "backup", target, "--db", Db);

        Assert.True(code == 0, err);
        using var connection = new SqliteConnection($"Data Source={target};Pooling=false");
        Assert.Equal("ok", connection.ExecuteScalar<string>("PRAGMA integrity_check"));
        Assert.Equal(1, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM users WHERE user_name = 'chief'"));
    }

    [Fact]
    public async Task ExportVerbs_WriteThePackageAndTheWorkbook_AndRefuseAnUnknownAudit()
    {
        using var scenario = await AuditTool.Tests.Support.AuditScenario.CreateAsync(cases: 2);
        var package = Path.Combine(_folder, "audit.json");
        var workbook = Path.Combine(_folder, "audit.xlsx");

        var json = await RunAsync("", "export-audit", scenario.AuditId.ToString(), package, "--db", scenario.Db.Path);
        var xlsx = await RunAsync("", "export-xlsx", scenario.AuditId.ToString(), workbook, "--db", scenario.Db.Path);
        var missing = await RunAsync("", "export-xlsx", "999", Path.Combine(_folder, "none.xlsx"), "--db", scenario.Db.Path);
        var badId = await RunAsync("", "export-audit", "seven", package, "--db", scenario.Db.Path);

        Assert.True(json.Code == 0, json.Err);
        Assert.Contains("\"format\": \"audittool.audit/v1\"", File.ReadAllText(package));
        Assert.True(xlsx.Code == 0, xlsx.Err);
        Assert.Empty(AuditTool.Tests.Support.Spreadsheets.ValidationErrors(workbook));
        Assert.NotEqual(0, missing.Code);
        Assert.False(File.Exists(Path.Combine(_folder, "none.xlsx")));
        Assert.False(File.Exists(Path.Combine(_folder, "none.xlsx.partial")));
        Assert.Equal(CommandLine.Usage, badId.Code);
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
