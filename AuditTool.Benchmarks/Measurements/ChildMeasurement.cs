using System.Diagnostics;
using System.Runtime;
using System.Text.Json;

namespace AuditTool.Benchmarks.Measurements;

/// <summary>
/// The child side: <c>measure WHAT --db FILE|URI --audit ID --warm-up ID --out FILE</c> (a postgresql:// URI's password
/// comes in PGPASSWORD). Runs the operation six times on the small
/// warm-up audit (JIT), collects, runs it on the audit under a stopwatch, collects again, and prints one JSON line.
/// A peak working set only ever grows, which is why every measurement has a process of its own.
/// </summary>
public static class ChildMeasurement
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const int WarmUpRuns = 6;

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            Console.Error.WriteLine("measure needs what to measure.");
            return 2;
        }

        var what = args[0];
        var named = new Dictionary<string, string>();
        for (var i = 1; i + 1 < args.Count; i += 2)
        {
            named[args[i]] = args[i + 1];
        }

        var database = named["--db"];
        var auditId = long.Parse(named["--audit"]);
        var warmUpId = long.Parse(named["--warm-up"]);
        var output = named["--out"];

        if (ServiceMeasurement.All.Contains(what))
        {
            Console.WriteLine(JsonSerializer.Serialize(await ServiceMeasurement.RunAsync(what, database, auditId), Json));
            return 0;
        }

        using var services = BenchmarkServices.For(database);
        var operation = Operations.For(what, services);

        // The tiered JIT counts calls only once no new method has been compiled for a while, then compiles the hot ones
        // in the background: warm-up runs with pauses between them leave the code as optimised as in a running app.
        var warmUpFile = output + ".warm-up";
        var warmUpMs = new List<double>();
        for (var i = 0; i < WarmUpRuns; i++)
        {
            var warmUp = Stopwatch.StartNew();
            await operation(warmUpId, warmUpFile);
            warmUpMs.Add(warmUp.Elapsed.TotalMilliseconds);
            File.Delete(warmUpFile);
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        // The figures are computed on demand in a running app, on pooled connections that have served queries before.
        // A fresh PostgreSQL connection's first large query here costs 300-450 ms more than its second (the new server
        // process maps the shared buffers it touches), so aggregation is timed on its second run on the audit, the first
        // reported beside it. (Exports are long enough for that to be noise, and the floor pays it too.)
        double? firstRunMs = null;
        if (what == Operations.Aggregate)
        {
            var first = Stopwatch.StartNew();
            await operation(auditId, output);
            firstRunMs = first.Elapsed.TotalMilliseconds;
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var baseline = process.WorkingSet64;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var gen2Before = GC.CollectionCount(2);

        var cpuBefore = process.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        var rows = await operation(auditId, output);
        stopwatch.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;

        var allocatedAfter = GC.GetTotalAllocatedBytes(precise: true);
        var gen2 = GC.CollectionCount(2) - gen2Before;
        Collect();
        process.Refresh();
        var sample = new Sample(what, stopwatch.Elapsed.TotalMilliseconds, process.PeakWorkingSet64, baseline,
            allocatedAfter - allocatedBefore, GC.GetTotalAllocatedBytes(precise: true), gen2,
            File.Exists(output) ? new FileInfo(output).Length : 0, rows, warmUpMs[0], GCSettings.IsServerGC, cpu.TotalMilliseconds, firstRunMs);
        Console.WriteLine(JsonSerializer.Serialize(sample, Json));
        return 0;
    }

    private static void Collect()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    }
}
