using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using AuditTool.Benchmarks.Data;
using AuditTool.Benchmarks.Measurements;
using AuditTool.Benchmarks.Reporting;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Benchmarks;

/// <summary>
/// For each size: generate the audit, load it into a fresh SQLite file (and, with --db, a fresh PostgreSQL database,
/// the loads interleaved; timed, repeated per the size's load count), then run every measurement in child processes,
/// interleaved (export, export-responses, floor, spreadcheetah, ..., aggregate, export, ...; with --db each on SQLite
/// then on PostgreSQL), and take medians.
/// </summary>
public static class BenchmarkRunner
{
    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        var wall = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        PostgresDatabases? postgres = null;
        if (options.Postgres is { } uri)
        {
            try
            {
                postgres = PostgresDatabases.Connect(uri);
            }
            catch (InvalidOperationException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 2;
            }
        }

        var root = Path.GetFullPath(options.WorkFolder ?? Path.GetTempPath());
        var folder = Path.Combine(root, $"audittool-benchmark-{started:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        var machine = new Machine(RuntimeInformation.OSDescription, Environment.ProcessorCount,
            Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024), 1),
            RuntimeInformation.FrameworkDescription, options.ServerGc ? "server" : "workstation", Machine.LoadAverage(), null);
        Console.WriteLine($"AuditTool benchmark: {machine.Cores} cores, {machine.MemoryGb} GB, {machine.Runtime}, {machine.Gc} GC in the children, " +
            $"load average {machine.LoadAverageStart ?? "unknown"}");
        Console.WriteLine($"Work folder: {folder}");
        if (postgres is not null)
        {
            var info = postgres.Info;
            Console.WriteLine($"PostgreSQL {info.Version} at {info.Server}: work_mem {info.WorkMem}, shared_buffers {info.SharedBuffers}, " +
                $"effective_cache_size {info.EffectiveCacheSize}, max_parallel_workers_per_gather {info.MaxParallelWorkersPerGather}, " +
                $"fsync {info.Fsync}, jit {info.Jit}; a fresh database per load (audittool_bench_{Environment.ProcessId}_SIZE), dropped at the end");
        }

        List<EngineDatabases> engines = [new SqliteDatabases(folder)];
        if (postgres is not null)
        {
            engines.Add(postgres);
        }

        var runner = new ChildRunner(options.ServerGc);
        // Interrupted (Ctrl+C, SIGTERM): stop the child measuring and remove what the run made, PostgreSQL databases included.
        var cleanedUp = 0;
        void CleanUp()
        {
            if (Interlocked.Exchange(ref cleanedUp, 1) == 1)
            {
                return;
            }

            runner.StopRunning();
            if (options.Keep)
            {
                Console.WriteLine($"Kept {folder}");
                if (postgres is not null)
                {
                    Console.WriteLine($"Kept the PostgreSQL databases {string.Join(", ", postgres.Remaining)} on {postgres.Server.Location}");
                    postgres.Release();
                }

                return;
            }

            foreach (var engine in engines)
            {
                engine.Dispose();
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        ConsoleCancelEventHandler onCancel = (_, _) => CleanUp();
        EventHandler onExit = (_, _) => CleanUp();
        Console.CancelKeyPress += onCancel;
        AppDomain.CurrentDomain.ProcessExit += onExit;

        var sizes = new List<SizeResult>();
        try
        {
            foreach (var engine in engines)
            {
                await Loader.WarmUpAsync(engine, options.Sizes[0]);
            }

            foreach (var size in options.Sizes)
            {
                sizes.AddRange(await RunSizeAsync(size, options, folder, engines, runner));
            }
        }
        finally
        {
            CleanUp();
            Console.CancelKeyPress -= onCancel;
            AppDomain.CurrentDomain.ProcessExit -= onExit;
        }

        wall.Stop();
        machine = machine with { LoadAverageEnd = Machine.LoadAverage() };
        var results = new BenchmarkResults(started, wall.Elapsed.TotalSeconds, machine, postgres is null ? Method : Method + PostgresMethod, sizes,
            Checks.Evaluate(sizes), postgres?.Info);
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

    private const string PostgresMethod =
        " With --db, every load is also made into a fresh, migrated PostgreSQL database on the given server (created by the program, " +
        "VACUUM (ANALYZE) after the load as the SQLite file's WAL is checkpointed, dropped at the end), the loads of the two engines " +
        "interleaved; every measurement but the DOM reference runs on both, each run of a measurement on SQLite then on PostgreSQL, " +
        "the child connecting with the database's URI. PostgreSQL peaks are the client process's: the server's memory is not in them.";

    private static async Task<IReadOnlyList<SizeResult>> RunSizeAsync(BenchmarkSize size, BenchmarkOptions options, string folder,
        IReadOnlyList<EngineDatabases> engines, ChildRunner runner)
    {
        var several = engines.Count > 1;
        Console.WriteLine();
        Console.WriteLine($"== {size.Name}: {size.Cases:N0} cases x {size.Agencies} agencies x {size.Questions} questions = {size.Answers:N0} answers");
        var generate = Stopwatch.StartNew();
        var package = DataGenerator.Create(size);
        var warmUp = DataGenerator.CreateWarmUp(size);
        generate.Stop();
        var generated = package.Returns.Sum(r => (long)r.Answers.Count);
        if (generated != size.Answers)
        {
            throw new InvalidOperationException($"Generated {generated:N0} answers, expected {size.Answers:N0}.");
        }

        var loads = engines.ToDictionary(e => e, _ => new List<LoadResult>());
        for (var i = 1; i <= size.Loads; i++)
        {
            foreach (var engine in engines)
            {
                var load = await Loader.LoadAsync(engine, size.Name, package, warmUp);
                loads[engine].Add(load);
                var label = several ? $" {engine.Label}" : "";
                Console.WriteLine($"  load {i}/{size.Loads}{label}: {load.Seconds:N1} s, {size.Answers / load.Seconds:N0} answers/s ({engine.Fresh})");
            }
        }

        // The parent's copy of the package is not needed any more; the children read the database.
        package = null;
        GC.Collect();

        var notes = engines.ToDictionary(e => e, _ => new List<string>());
        var operations = new Dictionary<EngineDatabases, List<string>>();
        foreach (var engine in engines)
        {
            var list = Operations.All.ToList();
            if (engine is PostgresDatabases)
            {
                list.Remove(Operations.Dom);
                notes[engine].Add("the DOM reference runs on SQLite only (its targets are SQLite's; it reads the rows as the floor does).");
            }
            else if (size == BenchmarkSize.Large && !options.DomLarge)
            {
                list.Remove(Operations.Dom);
                notes[engine].Add("the DOM reference was skipped at this size (several GB and minutes a run; --dom-large runs it).");
            }

            operations[engine] = list;
        }

        var samples = engines.ToDictionary(e => e, e => operations[e].ToDictionary(o => o, _ => new List<Sample>()));
        var runs = options.RunsOf(size);
        for (var run = 1; run <= runs; run++)
        {
            foreach (var what in Operations.All)
            {
                foreach (var engine in engines.Where(e => operations[e].Contains(what)))
                {
                    var loaded = loads[engine][^1];
                    var output = Path.Combine(folder, several ? $"{size.Name}-{engine.Engine}-{what}.xlsx" : $"{size.Name}-{what}.xlsx");
                    var sample = await runner.RunAsync(what, loaded.Database, loaded.AuditId, loaded.WarmUpAuditId, output, engine.ChildEnvironment);
                    File.Delete(output);
                    Verify(size, engine, sample);
                    samples[engine][what].Add(sample);
                    var label = several ? $" {engine.Label,-10}" : "";
                    Console.WriteLine($"  run {run}/{runs}{label} {what,-21} {sample.ElapsedMs,9:N0} ms  peak {sample.PeakWorkingSetBytes / Units.Mb,6:N0} MB  " +
                        $"alloc {sample.AllocatedBytes / Units.Mb,7:N0} MB  gen2 {sample.Gen2Collections}");
                }
            }
        }

        // The service measurements change the audit (a finding, an answer, publication): after the runs above, each
        // measurement's runs together, in the order that leaves the audit as the next needs it.
        foreach (var what in ServiceMeasurement.All)
        {
            foreach (var engine in engines)
            {
                samples[engine][what] = [];
            }

            for (var run = 1; run <= runs; run++)
            {
                foreach (var engine in engines)
                {
                    var loaded = loads[engine][^1];
                    var sample = await runner.RunAsync(what, loaded.Database, loaded.AuditId, loaded.WarmUpAuditId, Path.Combine(folder, "service"), engine.ChildEnvironment);
                    samples[engine][what].Add(sample);
                    var label = several ? $" {engine.Label,-10}" : "";
                    Console.WriteLine($"  run {run}/{runs}{label} {what,-21} {sample.ElapsedMs,9:N1} ms median of {sample.Rows} (slowest {sample.MaxMs:N1} ms)" +
                        (sample.RoundTrips is { } trips ? $", {trips:N0} round trips" : ""));
                }
            }
        }

        // copy-database of the SQLite database into an empty PostgreSQL one, as a partnership moving would run it.
        DatabaseCopyResult? copy = null;
        if (engines.OfType<PostgresDatabases>().FirstOrDefault() is { } target)
        {
            copy = await CopyAsync(loads[engines[0]][^1].Database, target, size);
            Console.WriteLine($"  copy-database SQLite -> PostgreSQL: {copy.Seconds:N1} s, {copy.Rows:N0} rows, {copy.AnswersPerSecond:N0} answers/s");
        }

        if (!options.Keep)
        {
            foreach (var engine in engines)
            {
                engine.Drop(loads[engine][^1].Database);
            }
        }

        return engines.Select(engine => new SizeResult(size.Name, engine.Engine, size.Cases, size.Agencies, size.Questions, size.Answers,
            generate.Elapsed.TotalSeconds, loads[engine].Select(l => l.Seconds).ToList(), Units.Median(loads[engine].Select(l => size.Answers / l.Seconds)),
            loads[engine][^1].DatabaseBytes / Units.Mb, samples[engine].ToDictionary(s => s.Key, s => Summary.Of(s.Value)), notes[engine],
            engine is PostgresDatabases ? copy : null)).ToList();
    }

    private static async Task<DatabaseCopyResult> CopyAsync(string sqliteFile, PostgresDatabases postgres, BenchmarkSize size)
    {
        var into = postgres.Create($"{size.Name}_copy");
        try
        {
            using var from = BenchmarkServices.For(sqliteFile);
            from.GetRequiredService<AuditTool.Data.MigrationRunner>().Migrate();
            using var to = postgres.Services(into);
            to.GetRequiredService<AuditTool.Data.MigrationRunner>().Migrate();
            var copied = await AuditTool.Data.DatabaseCopier.CopyAsync(from.GetRequiredService<AuditTool.Data.ConnectionFactory>(),
                to.GetRequiredService<AuditTool.Data.ConnectionFactory>());
            var answers = copied.Tables.Where(t => t.Name == "answers").Sum(t => t.Rows);
            return new DatabaseCopyResult(copied.Elapsed.TotalSeconds, copied.Tables.Sum(t => t.Rows), answers);
        }
        finally
        {
            postgres.Drop(into);
        }
    }

    /// <summary>The references must have written every answer, and the aggregation seen every return.</summary>
    private static void Verify(BenchmarkSize size, EngineDatabases engine, Sample sample)
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
                $"{sample.What} at {size.Name} on {engine.Label} covered {sample.Rows?.ToString(CultureInfo.InvariantCulture) ?? "no"} rows, expected {e:N0}.");
        }
    }
}
