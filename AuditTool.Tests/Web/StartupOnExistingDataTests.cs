using AuditTool.Data;
using AuditTool.Tests.Browser;
using AuditTool.Tests.Support;
using AuditTool.Web.Cli;
using Dapper;

namespace AuditTool.Tests.Web;

/// <summary>
/// The server started, as <c>dotnet run</c> starts it (Development: demo mode), on a database that already holds data
/// (migrated and an audit package imported by the verbs): it starts, leaves the data alone, and says why no demo was made.
/// </summary>
public abstract class StartupOnExistingDataTests(DatabaseEngine engine)
{
    [Fact]
    public async Task TheServer_StartsOnADatabaseWithAnImportedAudit_AndSeedsNoDemoIntoIt()
    {
        var folder = AppServer.NewFolder();
        var database = engine == DatabaseEngine.Postgres ? PostgresServer.Instance.CreateDatabase("startup") : Path.Combine(folder, "existing.db");
        try
        {
            await ImportAsync(database, folder);

            var servers = engine == DatabaseEngine.Postgres ? 2 : 1;
            var started = await Task.WhenAll(Enumerable.Range(0, servers)
                .Select(_ => AppServer.StartAsync(AppServer.BuiltExecutable("--db", database), folder)));
            try
            {
                using var http = new HttpClient();
                foreach (var server in started)
                {
                    Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(server.BaseUrl + "/health")).StatusCode);
                }

                Assert.Contains(started, s => s.Output.Contains("no demo data was created, because the database already holds", StringComparison.Ordinal));
                using var factory = new ConnectionFactory(DatabaseTarget.Parse(database, folder));
                using var connection = factory.Open();
                Assert.Equal(0, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM users"));
                Assert.Equal(1, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM audits"));
                Assert.Equal(2, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM agencies"));
            }
            finally
            {
                foreach (var server in started)
                {
                    await server.DisposeAsync();
                }
            }
        }
        finally
        {
            if (engine == DatabaseEngine.Postgres)
            {
                PostgresServer.Instance.DropDatabase(database);
            }
        }
    }

    private static async Task ImportAsync(string database, string folder)
    {
        var package = Path.Combine(folder, "existing.json");
        await File.WriteAllTextAsync(package, BrowserFixture.TestPackage("Imported before the first start", "EX-001", "EX-002"));
        var errors = new StringWriter();
        Assert.True(await CommandLine.RunAsync(["migrate", "--db", database], new StringWriter(), errors, TextReader.Null) == 0, errors.ToString());
        Assert.True(await CommandLine.RunAsync(["import-audit", package, "--db", database], new StringWriter(), errors, TextReader.Null) == 0, errors.ToString());
    }
}

public sealed class StartupOnExistingDataTestsOnSqlite() : StartupOnExistingDataTests(DatabaseEngine.Sqlite);

public sealed class StartupOnExistingDataTestsOnPostgres() : StartupOnExistingDataTests(DatabaseEngine.Postgres);
