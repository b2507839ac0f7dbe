using AuditTool.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Benchmarks;

/// <summary>The app's own services wired to one database (a SQLite file or a postgresql:// URI), exactly as the admin command line wires them.</summary>
internal static class BenchmarkServices
{
    public static ServiceProvider For(string database) => AuditToolServices.For(database);
}
