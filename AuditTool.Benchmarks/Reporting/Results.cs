using System.Text.Json.Serialization;
using AuditTool.Benchmarks.Data;
using AuditTool.Benchmarks.Measurements;

namespace AuditTool.Benchmarks.Reporting;

public static class Units
{
    /// <summary>Memory is reported in MiB (1,048,576 bytes), written "MB".</summary>
    public const double Mb = 1024 * 1024;

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

/// <summary>Medians of one measurement over its runs, each figure's median taken on its own.</summary>
/// <param name="FirstRunMs">Aggregation only: the median of the untimed first runs on the audit.</param>
/// <param name="RoundTrips">Service measurements on PostgreSQL: the median round trips of one action.</param>
public sealed record Summary(int Runs, double Ms, double PeakWorkingSetMb, double BaselineWorkingSetMb, double AllocatedMb, double OutputMb,
    IReadOnlyList<Sample> Samples, double? FirstRunMs = null, double? RoundTrips = null)
{
    public static Summary Of(IReadOnlyList<Sample> samples) => new(
        samples.Count,
        Units.Median(samples.Select(s => s.ElapsedMs)),
        Units.Median(samples.Select(s => s.PeakWorkingSetBytes / Units.Mb)),
        Units.Median(samples.Select(s => s.BaselineWorkingSetBytes / Units.Mb)),
        Units.Median(samples.Select(s => s.AllocatedBytes / Units.Mb)),
        Units.Median(samples.Select(s => s.OutputBytes / Units.Mb)),
        samples,
        samples.Any(s => s.FirstRunMs is not null) ? Units.Median(samples.Select(s => s.FirstRunMs ?? double.NaN).Where(double.IsFinite)) : null,
        samples.Any(s => s.RoundTrips is not null) ? Units.Median(samples.Select(s => s.RoundTrips ?? double.NaN).Where(double.IsFinite)) : null);
}

/// <param name="Engine">sqlite or postgresql: with --db every size has a result for each engine, side by side.</param>
public sealed record SizeResult(
    string Name,
    string Engine,
    int Cases,
    int Agencies,
    int Questions,
    long Answers,
    double GenerateSeconds,
    IReadOnlyList<double> LoadSeconds,
    double LoadAnswersPerSecond,
    double DatabaseMb,
    IReadOnlyDictionary<string, Summary> Measurements,
    IReadOnlyList<string> Notes,
    DatabaseCopyResult? Copy = null)
{
    public Summary? this[string what] => Measurements.GetValueOrDefault(what);
}

/// <summary>copy-database of the size's SQLite database into a fresh PostgreSQL one (with --db): its time and rate.</summary>
public sealed record DatabaseCopyResult(double Seconds, long Rows, long Answers)
{
    public double AnswersPerSecond => Answers / Seconds;
}

public sealed record Check(string Name, string Target, string Figures, string Result);

/// <param name="LoadAverageStart">/proc/loadavg when the run started and ended: other work on the machine skews timings.</param>
public sealed record Machine(string Os, int Cores, double MemoryGb, string Runtime, string Gc, string? LoadAverageStart, string? LoadAverageEnd)
{
    public static string? LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;
}

/// <param name="Postgres">The PostgreSQL server --db named (left out of the JSON when there was none).</param>
public sealed record BenchmarkResults(
    DateTimeOffset StartedUtc,
    double WallSeconds,
    Machine Machine,
    string Method,
    IReadOnlyList<SizeResult> Sizes,
    IReadOnlyList<Check> Checks,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PostgresServerInfo? Postgres = null);
