using AuditTool.Data;

namespace AuditTool.Web.Hosting;

/// <summary>The app's services wired to one database, without the web host: the admin command line, the benchmark
/// program and the tests all use this one wiring.</summary>
public static class AuditToolServices
{
    /// <summary>A file path (relative to the current folder) or a PostgreSQL URI.</summary>
    public static ServiceProvider For(string database) => For(DatabaseTarget.Parse(database, Environment.CurrentDirectory));

    public static ServiceProvider For(DatabaseTarget database)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new AuditToolOptions { Database = database.Location });
        services.AddAuditToolData(database);
        services.AddAuditToolDomain();
        return services.BuildServiceProvider();
    }
}
