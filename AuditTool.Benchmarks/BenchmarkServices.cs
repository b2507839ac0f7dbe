using AuditTool.Data;
using AuditTool.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Benchmarks;

/// <summary>The app's own services wired to one database file, as the admin command line and the tests wire them.</summary>
internal static class BenchmarkServices
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
