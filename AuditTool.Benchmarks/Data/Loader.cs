using System.Diagnostics;
using AuditTool.Data;
using AuditTool.Domain.Packages;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Benchmarks.Data;

/// <param name="Database">Where the children find it: the SQLite file, or the PostgreSQL database's URI (no password).</param>
public sealed record LoadResult(string Database, long AuditId, long WarmUpAuditId, double Seconds, long DatabaseBytes);

/// <summary>Loads a package into a fresh, migrated database of one engine with the product's one-transaction import.</summary>
public static class Loader
{
    public static async Task<LoadResult> LoadAsync(EngineDatabases engine, string name, AuditPackage package, AuditPackage warmUp)
    {
        var database = engine.Create(name);
        long auditId;
        long warmUpId;
        TimeSpan elapsed;
        using (var services = engine.Services(database))
        {
            services.GetRequiredService<MigrationRunner>().Migrate();
            var store = services.GetRequiredService<IAuditPackageStore>();

            var stopwatch = Stopwatch.StartNew();
            auditId = await store.ImportAsync(package, null, null, DateTimeOffset.UtcNow);
            stopwatch.Stop();
            elapsed = stopwatch.Elapsed;

            warmUpId = await store.ImportAsync(warmUp, null, null, DateTimeOffset.UtcNow);
            engine.Settle(services);
        }

        return new LoadResult(database, auditId, warmUpId, elapsed.TotalSeconds, engine.SizeBytes(database));
    }

    /// <summary>Loads a tiny audit into a scratch database so that the first measured load does not pay for JIT compilation.</summary>
    public static async Task WarmUpAsync(EngineDatabases engine, BenchmarkSize size)
    {
        var package = DataGenerator.CreateWarmUp(size);
        var load = await LoadAsync(engine, "warm-up", package, package with { Audit = package.Audit with { Title = "Warm-up 2" } });
        engine.Drop(load.Database);
    }
}
