using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using AuditTool.Benchmarks.Data;
using AuditTool.Benchmarks.Measurements;
using AuditTool.Benchmarks.Reporting;

namespace AuditTool.Benchmarks;

/// <summary>
/// For each size: generate the audit, load it into a fresh SQLite file (timed, repeated per the size's load count), then
/// run every measurement in child processes, interleaved (export, export-responses, floor, spreadcheetah, ..., aggregate,
/// export, ...), and take medians.
/// </summary>
public static class BenchmarkRunner
{
    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        var wall = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        var root = Path.GetFullPath(options.WorkFolder ?? Path.GetTempPath());
        var folder = Path.Combine(root, $"audittool-benchmark-{started:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        var machine = new Machine(RuntimeInformation.OSDescription, Environment.ProcessorCount,
            Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024), 1),
            RuntimeInformation.FrameworkDescription, options.ServerGc ? "server" : "workstation", Machine.LoadAverage(), null);
        Console.WriteLine($"AuditTool benchmark: {machine.Cores} cores, {machine.MemoryGb} GB, {machine.Runtime}, {machine.Gc} GC in the children, " +
            $"load average {machine.LoadAverageStart ?? "unknown"}");
        Console.WriteLine($"Work folder: {folder}");

        var sizes = new List<SizeResult>();
        try
        {
            await Loader.WarmUpAsync(folder, options.Sizes[0]);
            var runner = new ChildRunner(options.ServerGc);
            foreach (var size in options.Sizes)
            {
                sizes.Add(await RunSizeAsync(size, options, folder, runner));
            }
        }
        finally
        {
            if (options.Keep)
            {
                Console.WriteLine($"Kept {folder}");
            }
            else
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(folder, recursive: true);
            }
        }

        wall.Stop();
        machine = machine with { LoadAverageEnd = Machine.LoadAverage() };
        var results = new BenchmarkResults(started, wall.Elapsed.TotalSeconds, machine, Method, sizes, Checks.Evaluate(sizes));
        Report.Print(Console.Out, results);
        await Report.WriteJsonAsync(options.JsonPath, results);
        Console.WriteLine($"Figures written to {Path.GetFullPath(options.JsonPath)}");
        return 0;
    }

    private const string Method =
        "Each size is generated in memory (System.Random(42)) and loaded with IAuditPackageStore.ImportAsync into a fresh, migrated " +
        "SQLite file; load rate = answers / seconds of the import, median over the loads. Each measurement runs in a child process " +
        "of its own: services built, the operation run six times on a 3-case warm-up audit with pauses (tiered JIT done), a full GC, then the timed operation on " +
        "the audit; peak working set is the process's VmHWM after a final GC. Runs are interleaved; figures are medians.";

    private static async Task<SizeResult> RunSizeAsync(BenchmarkSize size, BenchmarkOptions options, string folder, ChildRunner runner)
    {
        Console.WriteLine();
        Console.WriteLine($"== {size.Name}: {size.Cases:N0} cases x {size.Agencies} agencies x {size.Questions} questions = {size.Answers:N0} answers");
        var notes = new List<string>();
        var generate = Stopwatch.StartNew();
        var package = DataGenerator.Create(size);
        var warmUp = DataGenerator.CreateWarmUp(size);
        generate.Stop();
        var generated = package.Returns.Sum(r => (long)r.Answers.Count);
        if (generated != size.Answers)
        {
            throw new InvalidOperationException($"Generated {generated:N0} answers, expected {size.Answers:N0}.");
        }

        var database = Path.Combine(folder, $"{size.Name}.db");
        var loads = new List<LoadResult>();
        for (var i = 1; i <= size.Loads; i++)
        {
            var load = await Loader.LoadAsync(database, package, warmUp);
            loads.Add(load);
            Console.WriteLine($"  load {i}/{size.Loads}: {load.Seconds:N1} s, {size.Answers / load.Seconds:N0} answers/s (fresh file)");
        }

        // The parent's copy of the package is not needed any more; the children read the database.
        package = null;
        GC.Collect();
        var loaded = loads[^1];

        var operations = Operations.All.ToList();
        if (size == BenchmarkSize.Large && !options.DomLarge)
        {
            operations.Remove(Operations.Dom);
            notes.Add("the DOM reference was skipped at this size (several GB and minutes a run; --dom-large runs it).");
        }

        var samples = operations.ToDictionary(o => o, _ => new List<Sample>());
        var runs = options.RunsOf(size);
        for (var run = 1; run <= runs; run++)
        {
            foreach (var what in operations)
            {
                var output = Path.Combine(folder, $"{size.Name}-{what}.xlsx");
                var sample = await runner.RunAsync(what, loaded.DatabasePath, loaded.AuditId, loaded.WarmUpAuditId, output);
                File.Delete(output);
                Verify(size, sample);
                samples[what].Add(sample);
                Console.WriteLine($"  run {run}/{runs} {what,-21} {sample.ElapsedMs,9:N0} ms  peak {sample.PeakWorkingSetBytes / Units.Mb,6:N0} MB  " +
                    $"alloc {sample.AllocatedBytes / Units.Mb,7:N0} MB  gen2 {sample.Gen2Collections}");
            }
        }

        if (!options.Keep)
        {
            Loader.DeleteDatabase(database);
        }

        return new SizeResult(size.Name, size.Cases, size.Agencies, size.Questions, size.Answers, generate.Elapsed.TotalSeconds,
            loads.Select(l => l.Seconds).ToList(), Units.Median(loads.Select(l => size.Answers / l.Seconds)), loaded.DatabaseBytes / Units.Mb,
            samples.ToDictionary(s => s.Key, s => Summary.Of(s.Value)), notes);
    }

    /// <summary>The references must have written every answer, and the aggregation seen every return.</summary>
    private static void Verify(BenchmarkSize size, Sample sample)
    {
        var expected = sample.What switch
        {
            _ when Operations.References.Contains(sample.What) => size.Answers,
            Operations.Aggregate => (long)size.Cases * size.Agencies,
            _ => (long?)null,
        };
        if (expected is { } e && sample.Rows != e)
        {
            throw new InvalidOperationException(
                $"{sample.What} at {size.Name} covered {sample.Rows?.ToString(CultureInfo.InvariantCulture) ?? "no"} rows, expected {e:N0}.");
        }
    }
}
