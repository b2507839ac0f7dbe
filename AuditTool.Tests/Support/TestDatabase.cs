using AuditTool.Data;
using AuditTool.Domain;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Security;
using AuditTool.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Tests.Support;

/// <summary>A real SQLite file in a fresh temporary folder, migrated, with the app's services wired to it.</summary>
public sealed class TestDatabase : IDisposable
{
    private readonly ServiceProvider _services;

    public TestDatabase(bool migrate = true)
    {
        Folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "audittool-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Path = System.IO.Path.Combine(Folder, "test.db");
        _services = AuditToolServices.For(Path);
        if (migrate)
        {
            Get<MigrationRunner>().Migrate();
        }
    }

    public string Folder { get; }

    public string Path { get; }

    public SqliteConnectionFactory Factory => Get<SqliteConnectionFactory>();

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
