using System.Globalization;
using System.Text.Json;
using AuditTool.Benchmarks.Data;
using AuditTool.Benchmarks.Measurements;

namespace AuditTool.Benchmarks.Reporting;

/// <summary>The table and the target checks on the console; every figure (and every run) in a JSON file.</summary>
public static class Report
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private static readonly (string What, string Label)[] Writers =
    [
        (Operations.Export, "product export: whole workbook, figures beside"),
        (Operations.ExportResponses, "product writer: Responses sheet (others empty)"),
        (Operations.SpreadCheetahProduct, "SpreadCheetah: Responses sheet, product features"),
        (Operations.Floor, "floor: plain cells, XmlWriter"),
        (Operations.SpreadCheetah, "SpreadCheetah: plain cells"),
        (Operations.Dom, "DOM: plain cells, Open XML SDK"),
    ];

    public static void Print(TextWriter output, BenchmarkResults results)
    {
        // With --db every size has a row per engine: an engine column follows the size (none when SQLite ran alone).
        var engines = results.Sizes.Select(s => s.Engine).Distinct().Count() > 1;
        string[] KeyHeader() => engines ? ["size", "engine"] : ["size"];
        string[] Key(SizeResult s) => engines ? [s.Name, EngineDatabases.LabelOf(s.Engine)] : [s.Name];
        var keys = KeyHeader().Length;

        output.WriteLine();
        output.WriteLine($"Medians of {string.Join(", ", results.Sizes.DistinctBy(s => s.Name).Select(s => $"{s.Name} {s[Operations.Export]?.Runs ?? 0} runs"))}; " +
            $"times in ms, memory in MB (MiB); peak = peak working set of the child process; alloc = managed bytes allocated by the operation.");
        if (results.Postgres is { } server)
        {
            output.WriteLine($"PostgreSQL {server.Version} at {server.Server} (work_mem {server.WorkMem}, shared_buffers {server.SharedBuffers}, " +
                $"fsync {server.Fsync}); its peaks are the client process's only, the server's memory is not in them.");
        }

        var header = (string[])
        [
            .. KeyHeader(), "answers", "load answers/s", "aggregate ms", "export ms", "export peak", "export alloc",
            "floor ms", "floor peak", "DOM ms", "DOM peak", "SC ms", "SC peak", "SC+ ms", "SC+ peak",
        ];
        var rows = results.Sizes.Select(s => (string[])
        [
            .. Key(s),
            N(s.Answers),
            N(s.LoadAnswersPerSecond),
            N(s[Operations.Aggregate]?.Ms),
            N(s[Operations.Export]?.Ms),
            N(s[Operations.Export]?.PeakWorkingSetMb),
            N(s[Operations.Export]?.AllocatedMb),
            N(s[Operations.Floor]?.Ms),
            N(s[Operations.Floor]?.PeakWorkingSetMb),
            N(s[Operations.Dom]?.Ms),
            N(s[Operations.Dom]?.PeakWorkingSetMb),
            N(s[Operations.SpreadCheetah]?.Ms),
            N(s[Operations.SpreadCheetah]?.PeakWorkingSetMb),
            N(s[Operations.SpreadCheetahProduct]?.Ms),
            N(s[Operations.SpreadCheetahProduct]?.PeakWorkingSetMb),
        ]).ToList();
        Table(output, header, rows, keys);
        output.WriteLine("SC = SpreadCheetah writing the plain Responses cells (as floor and DOM); SC+ = SpreadCheetah writing the Responses sheet with the product's features.");

        output.WriteLine();
        output.WriteLine("Writers side by side (x floor = ms / floor ms; base = working set before the operation).");
        Table(output, [.. KeyHeader(), "writer", "ms", "x floor", "peak MB", "base MB", "alloc MB", "xlsx MB"],
            results.Sizes.SelectMany(s => Writers.Where(w => s[w.What] is not null).Select(w => (string[])
            [
                .. Key(s),
                w.Label,
                N(s[w.What]!.Ms),
                N(s[w.What]!.Ms / s[Operations.Floor]?.Ms, 2),
                N(s[w.What]!.PeakWorkingSetMb),
                N(s[w.What]!.BaselineWorkingSetMb),
                N(s[w.What]!.AllocatedMb),
                N(s[w.What]!.OutputMb, 1),
            ])).ToList(), leftAligned: keys + 1);

        output.WriteLine();
        output.WriteLine("Details: working set before the operation (runtime, services, warm-up), allocations and file sizes.");
        Table(output,
            [.. KeyHeader(), "aggregate first ms", "aggregate peak", "aggregate alloc", "export base", "floor base", "floor alloc", "DOM base", "DOM alloc", "xlsx MB", "floor MB", "DOM MB", "db MB"],
            results.Sizes.Select(s => (string[])
            [
                .. Key(s),
                N(s[Operations.Aggregate]?.FirstRunMs),
                N(s[Operations.Aggregate]?.PeakWorkingSetMb),
                N(s[Operations.Aggregate]?.AllocatedMb),
                N(s[Operations.Export]?.BaselineWorkingSetMb),
                N(s[Operations.Floor]?.BaselineWorkingSetMb),
                N(s[Operations.Floor]?.AllocatedMb),
                N(s[Operations.Dom]?.BaselineWorkingSetMb),
                N(s[Operations.Dom]?.AllocatedMb),
                N(s[Operations.Export]?.OutputMb, 1),
                N(s[Operations.Floor]?.OutputMb, 1),
                N(s[Operations.Dom]?.OutputMb, 1),
                N(s.DatabaseMb),
            ]).ToList(), keys);

        output.WriteLine();
        output.WriteLine("Service times of one action (issue 21): medians of each child's median of 40 repeats; round trips counted on the wire (PostgreSQL).");
        Table(output,
            [.. KeyHeader(), "published figures ms", "round trips", "findings edit ms", "round trips", "answer save ms", "slowest ms", "round trips", "copy-database s", "copy answers/s"],
            results.Sizes.Select(s => (string[])
            [
                .. Key(s),
                N(s[ServiceMeasurement.FiguresPublished]?.Ms, 1),
                N(s[ServiceMeasurement.FiguresPublished]?.RoundTrips),
                N(s[ServiceMeasurement.FindingsEdit]?.Ms, 1),
                N(s[ServiceMeasurement.FindingsEdit]?.RoundTrips),
                N(s[ServiceMeasurement.AnswerSave]?.Ms, 2),
                N(s[ServiceMeasurement.AnswerSave]?.Samples.Max(x => x.MaxMs), 1),
                N(s[ServiceMeasurement.AnswerSave]?.RoundTrips),
                N(s.Copy?.Seconds, 1),
                N(s.Copy?.AnswersPerSecond),
            ]).ToList(), keys);

        // A note that holds for several sizes or engines is printed once, naming them.
        foreach (var note in results.Sizes
                     .SelectMany(s => s.Notes.Select(n => (Text: n, Where: engines ? $"{s.Name} ({EngineDatabases.LabelOf(s.Engine)})" : s.Name)))
                     .GroupBy(n => n.Text))
        {
            output.WriteLine($"Note: {string.Join(", ", note.Select(n => n.Where))}: {note.Key}");
        }

        output.WriteLine();
        output.WriteLine("Targets");
        Table(output, ["", "check", "figures"], results.Checks.Select(c => new[] { c.Result, c.Name, c.Figures }).ToList(), leftAligned: 3);
        output.WriteLine();
        output.WriteLine($"Whole benchmark: {results.WallSeconds.ToString("N0", CultureInfo.InvariantCulture)} s wall time; load average " +
            $"{results.Machine.LoadAverageStart ?? "unknown"} at the start, {results.Machine.LoadAverageEnd ?? "unknown"} at the end ({results.Machine.Cores} cores).");
    }

    public static async Task WriteJsonAsync(string path, BenchmarkResults results)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await using var file = File.Create(full);
        await JsonSerializer.SerializeAsync(file, results, Json);
    }

    private static void Table(TextWriter output, IReadOnlyList<string> header, IReadOnlyList<string[]> rows, int leftAligned = 1)
    {
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((c, i) => i < leftAligned ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd();
        output.WriteLine(Line(header));
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
        {
            output.WriteLine(Line(row));
        }
    }

    private static string N(double? value, int decimals = 0) =>
        value is { } v && double.IsFinite(v) ? v.ToString($"N{decimals}", CultureInfo.InvariantCulture) : "-";
}
