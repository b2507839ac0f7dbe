using AuditTool.Data;
using AuditTool.Domain;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Security;
using AuditTool.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Tests.Support;

/// <summary>
/// A real database with the app's services wired to it, migrated: a SQLite file in a fresh temporary folder, or a fresh
/// database on the tests' throwaway PostgreSQL server.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    private readonly ServiceProvider _services;

    public TestDatabase(bool migrate = true, DatabaseEngine engine = DatabaseEngine.Sqlite)
    {
        Engine = engine;
        Folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "audittool-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Location = engine == DatabaseEngine.Sqlite
            ? System.IO.Path.Combine(Folder, "test.db")
            : PostgresServer.Instance.CreateDatabase();
        _services = AuditToolServices.For(Location);
        if (migrate)
        {
            Get<MigrationRunner>().Migrate();
        }
    }

    public DatabaseEngine Engine { get; }

    /// <summary>A folder of the test's own, for files it writes.</summary>
    public string Folder { get; }

    /// <summary>What <c>--db</c> takes: the SQLite file, or the PostgreSQL URI.</summary>
    public string Location { get; }

    /// <summary>The SQLite file (SQLite only).</summary>
    public string Path => Engine == DatabaseEngine.Sqlite ? Location : throw new InvalidOperationException("A PostgreSQL test database has no file.");

    public ConnectionFactory Factory => Get<ConnectionFactory>();

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Creates an account through the real service and returns the actor that represents it.</summary>
    public async Task<Actor> CreateUserAsync(string userName, Role role, long? agencyId = null, string password = "correct-horse-battery")
    {
        var id = await Get<UserAdminService>().CreateAsync(Actor.System, new NewUser(userName, userName, role, agencyId, password));
        return new Actor(id, userName, role, agencyId);
    }

    public void Dispose()
    {
        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Engine == DatabaseEngine.Postgres)
        {
            PostgresServer.Instance.DropDatabase(Location);
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a pooled connection on another thread; the temp folder is cleaned later.
        }
    }
}

/// <summary>
/// Base of every test suite that touches the database: each suite is declared once, abstract, and run against both
/// engines by two one-line subclasses (<c>...OnSqlite</c>, <c>...OnPostgres</c>).
/// </summary>
public abstract class DatabaseTests(DatabaseEngine engine)
{
    protected DatabaseEngine Engine { get; } = engine;

    protected TestDatabase NewDatabase(bool migrate = true) => new(migrate, Engine);

    protected Task<AuditScenario> ScenarioAsync(int cases = 3, bool open = true) => AuditScenario.CreateAsync(Engine, cases, open);
}

