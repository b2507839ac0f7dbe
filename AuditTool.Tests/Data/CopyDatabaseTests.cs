using AuditTool.Data;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;
using AuditTool.Tests.Support;
using AuditTool.Web.Cli;
using AuditTool.Web.Hosting;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AuditTool.Tests.Data;

/// <summary>
/// <c>copy-database</c>: an installation on SQLite moves to PostgreSQL with everything it holds. The source is the first
/// release's demo database (migrated on the way), used a little more first: a sign-in, an answer, a log check.
/// </summary>
public sealed class CopyDatabaseTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(RepoPaths.Root, "AuditTool.Tests", "Data", "Fixtures");
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "audittool-copy", Guid.NewGuid().ToString("N"));
    private readonly string _target;

    public CopyDatabaseTests()
    {
        Directory.CreateDirectory(_folder);
        File.Copy(Path.Combine(Fixtures, "release-0006.db"), Source);
        _target = PostgresServer.Instance.CreateDatabase("copy");
    }

    private string Source => Path.Combine(_folder, "audittool.db");

    public void Dispose()
    {
        PostgresServer.Instance.DropDatabase(_target);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, stdout, stderr, TextReader.Null);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static List<(long Id, string Hash)> LogOf(ConnectionFactory factory)
    {
        using var connection = factory.Open();
        return connection.Query<(long, string)>("SELECT id, hash FROM audit_log ORDER BY id").ToList();
    }

    [Fact]
    public async Task EverythingIsCopied_WithTheAuditLogInItsOrder_AndTheCopyWorksAsTheOriginalDid()
    {
        Assert.Equal(CommandLine.Ok, (await RunAsync("migrate", "--db", Source)).Code);
        using (var before = AuditToolServices.For(Source))
        {
            // A password right (the hash and its salt travel), and a line checked in the log before the copy.
            var auditor = await before.GetRequiredService<IUserRepository>().GetByUserNameAsync("police.auditor");
            Assert.Equal(SignInOutcome.Success, (await before.GetRequiredService<SignInService>().SignInAsync("police.auditor", FirstRun.DemoPassword)).Outcome);
            Assert.True((await before.GetRequiredService<AuditLogService>().VerifyAsync(Actor.System)).Intact);
            Assert.NotNull(auditor);
        }

        List<(long Id, string Hash)> logBefore;
        using (var before = AuditToolServices.For(Source))
        {
            logBefore = LogOf(before.GetRequiredService<ConnectionFactory>());
        }

        var (code, output, errors) = await RunAsync("copy-database", "--db", Source, "--to", _target);

        Assert.True(code == CommandLine.Ok, output + errors);
        Assert.Contains("checked: every table has the same number of rows on both, and all 3 audits export the same package from both", output,
            StringComparison.Ordinal);
        Assert.Contains("answers/s", output, StringComparison.Ordinal);
        Assert.Contains("schema_journal was not copied", output, StringComparison.Ordinal);

        using var source = AuditToolServices.For(Source);
        using var copy = AuditToolServices.For(_target);
        var sourceLog = LogOf(source.GetRequiredService<ConnectionFactory>());
        var copiedLog = LogOf(copy.GetRequiredService<ConnectionFactory>());
        // The check exported every audit from both, each export logged on each side: up to the copy, the logs are one.
        Assert.Equal(logBefore, copiedLog.Take(logBefore.Count));
        Assert.Equal(logBefore, sourceLog.Take(logBefore.Count));
        Assert.True(logBefore.Count > 50);

        var verified = await copy.GetRequiredService<AuditLogService>().VerifyAsync(Actor.System);
        Assert.True(verified.Intact, verified.Message);
        foreach (var account in FirstRun.DemoAccounts.Where(a => a.Role is not (Role.Administrator or Role.Scrutineer)))
        {
            Assert.Equal(SignInOutcome.Success, (await copy.GetRequiredService<SignInService>().SignInAsync(account.UserName, FirstRun.DemoPassword)).Outcome);
        }

        // New rows take ids after the copied ones.
        var created = await RunAsync("create-user", "--db", _target, "--username", "newcomer", "--role", "executive", "--password", "a-long-enough-passphrase-2026");
        Assert.True(created.Code == CommandLine.Ok, created.Out + created.Err);
        using var connection = copy.GetRequiredService<ConnectionFactory>().Open();
        Assert.True(connection.ExecuteScalar<long>("SELECT id FROM users WHERE user_name = 'newcomer'") >
                    connection.ExecuteScalar<long>("SELECT MAX(id) FROM users WHERE user_name <> 'newcomer'"));

        // Every table's references were checked once after its rows and put back: the copy has exactly the foreign keys
        // of a database migrated afresh.
        var fresh = PostgresServer.Instance.CreateDatabase("fresh");
        try
        {
            using (var migrated = AuditToolServices.For(fresh))
            {
                migrated.GetRequiredService<MigrationRunner>().Migrate();
                const string Keys = "SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' ORDER BY 1";
                using var freshConnection = migrated.GetRequiredService<ConnectionFactory>().Open();
                var expected = freshConnection.Query<string>(Keys).ToList();
                Assert.NotEmpty(expected);
                Assert.Equal(expected, connection.Query<string>(Keys).ToList());
            }
        }
        finally
        {
            PostgresServer.Instance.DropDatabase(fresh);
        }
    }

    [Fact]
    public async Task ATargetThatIsNotEmpty_IsRefused_AndNothingIsWritten()
    {
        Assert.Equal(CommandLine.Ok, (await RunAsync("migrate", "--db", _target)).Code);
        long users;
        using (var connection = new NpgsqlConnection(TargetConnectionString))
        {
            users = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM users");
        }

        var (code, output, errors) = await RunAsync("copy-database", "--db", Source, "--to", _target);
        var (noTarget, _, noTargetErrors) = await RunAsync("copy-database", "--db", Source);
        var (notPostgres, _, notPostgresErrors) = await RunAsync("copy-database", "--db", Source, "--to", Path.Combine(_folder, "other.db"));

        Assert.Equal(CommandLine.Failed, code);
        Assert.Contains("nothing was copied", errors, StringComparison.Ordinal);
        Assert.Contains("is not empty", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("copying", output, StringComparison.Ordinal);
        using (var connection = new NpgsqlConnection(TargetConnectionString))
        {
            Assert.Equal(users, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM users"));
        }

        Assert.Equal(CommandLine.Usage, noTarget);
        Assert.Contains("--to postgresql://", noTargetErrors, StringComparison.Ordinal);
        Assert.Equal(CommandLine.Usage, notPostgres);
        Assert.Contains("--to postgresql://", notPostgresErrors, StringComparison.Ordinal);
    }

    private string TargetConnectionString
    {
        get
        {
            var uri = new Uri(_target);
            return $"Host={uri.Host};Port={uri.Port};Username={PostgresServer.AppUser};Password={PostgresServer.AppPassword};Database={uri.AbsolutePath.Trim('/')};Pooling=false";
        }
    }
}
