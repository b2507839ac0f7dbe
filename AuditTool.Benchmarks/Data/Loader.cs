using System.Diagnostics;
using AuditTool.Data;
using AuditTool.Domain.Packages;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Benchmarks.Data;

public sealed record LoadResult(string DatabasePath, long AuditId, long WarmUpAuditId, double Seconds, long DatabaseBytes);

/// <summary>Loads a package into a fresh, migrated SQLite file with the product's one-transaction import.</summary>
public static class Loader
{
    public static async Task<LoadResult> LoadAsync(string databasePath, AuditPackage package, AuditPackage warmUp)
    {
        DeleteDatabase(databasePath);
        using var services = BenchmarkServices.For(databasePath);
        services.GetRequiredService<MigrationRunner>().Migrate();
        var store = services.GetRequiredService<IAuditPackageStore>();

        var stopwatch = Stopwatch.StartNew();
        var auditId = await store.ImportAsync(package, null, null, DateTimeOffset.UtcNow);
        stopwatch.Stop();

        var warmUpId = await store.ImportAsync(warmUp, null, null, DateTimeOffset.UtcNow);
        // Fold the one big transaction into the database file, so every child starts from the same state.
        using (var connection = services.GetRequiredService<ConnectionFactory>().Open())
        {
            connection.Execute("PRAGMA wal_checkpoint(TRUNCATE);");
        }

        SqliteConnection.ClearAllPools();
        return new LoadResult(databasePath, auditId, warmUpId, stopwatch.Elapsed.TotalSeconds, new FileInfo(databasePath).Length);
    }

    /// <summary>Loads a tiny audit into a scratch file so that the first measured load does not pay for JIT compilation.</summary>
    public static async Task WarmUpAsync(string folder, BenchmarkSize size)
    {
        var path = Path.Combine(folder, "warm-up.db");
        var package = DataGenerator.CreateWarmUp(size);
        await LoadAsync(path, package, package with { Audit = package.Audit with { Title = "Warm-up 2" } });
        DeleteDatabase(path);
    }

    public static void DeleteDatabase(string databasePath)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(databasePath + suffix);
        }
    }
}
