using AuditTool.Data;
using AuditTool.Documents;
using AuditTool.Web.Notices;

namespace AuditTool.Web.Hosting;

/// <summary>The app's services wired to one database, without the web host: the admin command line, the benchmark
/// program and the tests all use this one wiring.</summary>
public static class AuditToolServices
{
    /// <summary>A file path (relative to the current folder) or a PostgreSQL URI.</summary>
    public static ServiceProvider For(string database) => For(DatabaseTarget.Parse(database, Environment.CurrentDirectory));

    /// <summary>
    /// The services on <paramref name="database"/>. <paramref name="settings"/> gives the reminder settings
    /// (<c>AuditTool:Smtp:...</c>; none: nothing is sent); a bad one is an <see cref="ArgumentException"/>.
    /// <paramref name="overrides"/> replaces services (tests: a clock of their own).
    /// </summary>
    public static ServiceProvider For(DatabaseTarget database, IConfiguration? settings = null, Action<IServiceCollection>? overrides = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new AuditToolOptions { Database = database.Location });
        services.AddAuditToolData(database);
        services.AddAuditToolDocuments();
        services.AddAuditToolDomain();
        services.AddAuditToolNotices(settings ?? new ConfigurationBuilder().Build());
        overrides?.Invoke(services);
        return services.BuildServiceProvider();
    }
}
