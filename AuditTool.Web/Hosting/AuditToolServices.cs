using AuditTool.Data;

namespace AuditTool.Web.Hosting;

/// <summary>The app's services wired to one database file, without the web host: the admin command line, the
/// benchmark program and the tests all use this one wiring.</summary>
public static class AuditToolServices
{
    public static ServiceProvider For(string databasePath)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new AuditToolOptions { Database = databasePath });
        services.AddAuditToolData(databasePath);
        services.AddAuditToolDomain();
        return services.BuildServiceProvider();
    }
}
