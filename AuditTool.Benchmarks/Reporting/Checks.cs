using System.Globalization;
using AuditTool.Benchmarks.Data;
using AuditTool.Benchmarks.Measurements;

namespace AuditTool.Benchmarks.Reporting;

/// <summary>The targets of the issues, each PASS or FAIL with its figures ("n/a" when a size or reference was not run).</summary>
public static class Checks
{
    public static IReadOnlyList<Check> Evaluate(IReadOnlyList<SizeResult> sizes)
    {
        var by = sizes.Where(s => s.Engine == EngineDatabases.SqliteName).ToDictionary(s => s.Name);
        var partnership = by.GetValueOrDefault(BenchmarkSize.Partnership.Name);
        var regional = by.GetValueOrDefault(BenchmarkSize.Regional.Name);
        var large = by.GetValueOrDefault(BenchmarkSize.Large.Name);
        List<Check> checks =
        [
            ExportVersusFloor(regional, BenchmarkSize.Regional.Name),
            ExportVersusFloor(large, BenchmarkSize.Large.Name),
            DomSpeed(regional),
            DomMemory(regional),
            MemoryGrowth(partnership, large),
            Aggregation(large, BenchmarkSize.Large.Name, 1000),
            Aggregation(partnership, BenchmarkSize.Partnership.Name, 100),
            // Not one of PRODUCT.md's seven: the margin the .NET 10 issue asks for under the 1 s target.
            Aggregation(large, $"{BenchmarkSize.Large.Name}, margin", 700, orEqual: true),
        ];

        // With --db: the same export and aggregation targets on PostgreSQL (export against the floor on the same engine).
        var postgres = sizes.Where(s => s.Engine == EngineDatabases.PostgresName).ToDictionary(s => s.Name);
        if (postgres.Count > 0)
        {
            var label = EngineDatabases.LabelOf(EngineDatabases.PostgresName);
            checks.Add(ExportVersusFloor(postgres.GetValueOrDefault(BenchmarkSize.Regional.Name), $"{BenchmarkSize.Regional.Name}, {label}"));
            checks.Add(ExportVersusFloor(postgres.GetValueOrDefault(BenchmarkSize.Large.Name), $"{BenchmarkSize.Large.Name}, {label}"));
            checks.Add(Aggregation(postgres.GetValueOrDefault(BenchmarkSize.Large.Name), $"{BenchmarkSize.Large.Name}, {label}", 1000));
        }

        // Issue 21: one action's service time, and bulk loading on PostgreSQL.
        checks.Add(Under(large, ServiceMeasurement.FiguresPublished, "Figures of a published audit read", BenchmarkSize.Large.Name, 20));
        checks.Add(Under(large, ServiceMeasurement.FindingsEdit, "Findings edit (the edit and the page's reload)", BenchmarkSize.Large.Name, 100));
        checks.Add(Under(regional, ServiceMeasurement.AnswerSave, "Answer save, median", BenchmarkSize.Regional.Name, 5));
        var regionalPostgres = postgres.GetValueOrDefault(BenchmarkSize.Regional.Name);
        checks.Add(regionalPostgres?[ServiceMeasurement.AnswerSave]?.RoundTrips is { } trips
            ? new Check("Answer save round trips <= 2 (regional, PostgreSQL)", "<= 2", $"{F(trips, 0)} (counted on the wire, median)", Result(trips <= 2))
            : NotRun("Answer save round trips <= 2 (regional, PostgreSQL)", "<= 2"));
        var largePostgres = postgres.GetValueOrDefault(BenchmarkSize.Large.Name);
        checks.Add(largePostgres is { } pg
            ? new Check("PostgreSQL load >= 100,000 answers/s (large)", ">= 100,000", $"{F(pg.LoadAnswersPerSecond, 0)} answers/s", Result(pg.LoadAnswersPerSecond >= 100_000))
            : NotRun("PostgreSQL load >= 100,000 answers/s (large)", ">= 100,000"));
        checks.Add(largePostgres is { } p && large is { } l
            ? new Check("SQLite load rate / PostgreSQL load rate <= 1.5 (large)", "<= 1.5",
                $"{F(l.LoadAnswersPerSecond, 0)} / {F(p.LoadAnswersPerSecond, 0)} = {F(l.LoadAnswersPerSecond / p.LoadAnswersPerSecond, 2)}",
                Result(l.LoadAnswersPerSecond / p.LoadAnswersPerSecond <= 1.5))
            : NotRun("SQLite load rate / PostgreSQL load rate <= 1.5 (large)", "<= 1.5"));
        return checks;
    }

    private static Check Under(SizeResult? size, string what, string label, string sizeName, double limitMs)
    {
        var name = $"{label} < {limitMs.ToString("0", CultureInfo.InvariantCulture)} ms ({sizeName})";
        return size?[what] is { } summary
            ? new Check(name, $"< {limitMs.ToString("0", CultureInfo.InvariantCulture)} ms", $"{F(summary.Ms, 2)} ms (median)", Result(summary.Ms < limitMs))
            : NotRun(name, $"< {limitMs.ToString("0", CultureInfo.InvariantCulture)} ms");
    }

    private static Check ExportVersusFloor(SizeResult? size, string sizeName)
    {
        var name = $"Export time <= 1.5 x floor ({sizeName})";
        if (size?[Operations.Export] is not { } export || size[Operations.Floor] is not { } floor)
        {
            return NotRun(name, "export / floor <= 1.5");
        }

        var ratio = export.Ms / floor.Ms;
        return new Check(name, "export / floor <= 1.5", $"{F(export.Ms, 0)} ms / {F(floor.Ms, 0)} ms = {F(ratio, 2)}", Result(ratio <= 1.5));
    }

    private static Check DomSpeed(SizeResult? regional)
    {
        const string Name = "Export >= 3 x faster than DOM (regional)";
        if (regional?[Operations.Export] is not { } export || regional[Operations.Dom] is not { } dom)
        {
            return NotRun(Name, "DOM / export >= 3");
        }

        var ratio = dom.Ms / export.Ms;
        return new Check(Name, "DOM / export >= 3", $"{F(dom.Ms, 0)} ms / {F(export.Ms, 0)} ms = {F(ratio, 2)}", Result(ratio >= 3));
    }

    private static Check DomMemory(SizeResult? regional)
    {
        const string Name = "Export peak <= 1/5 of DOM peak (regional)";
        if (regional?[Operations.Export] is not { } export || regional[Operations.Dom] is not { } dom)
        {
            return NotRun(Name, "export peak <= DOM peak / 5");
        }

        return new Check(Name, "export peak <= DOM peak / 5",
            $"{F(export.PeakWorkingSetMb, 0)} MB vs {F(dom.PeakWorkingSetMb, 0)} MB / 5 = {F(dom.PeakWorkingSetMb / 5, 0)} MB (ratio {F(dom.PeakWorkingSetMb / export.PeakWorkingSetMb, 1)})",
            Result(export.PeakWorkingSetMb <= dom.PeakWorkingSetMb / 5));
    }

    private static Check MemoryGrowth(SizeResult? partnership, SizeResult? large)
    {
        const string Name = "Export peak, large - partnership <= 50 MB";
        if (partnership?[Operations.Export] is not { } small || large?[Operations.Export] is not { } big)
        {
            return NotRun(Name, "difference <= 50 MB");
        }

        var growth = big.PeakWorkingSetMb - small.PeakWorkingSetMb;
        return new Check(Name, "difference <= 50 MB",
            $"{F(big.PeakWorkingSetMb, 0)} MB - {F(small.PeakWorkingSetMb, 0)} MB = {F(growth, 0)} MB", Result(growth <= 50));
    }

    private static Check Aggregation(SizeResult? size, string sizeName, double limitMs, bool orEqual = false)
    {
        var limit = $"{(orEqual ? "<=" : "<")} {limitMs.ToString("0", CultureInfo.InvariantCulture)} ms";
        var name = $"Aggregation from the database {limit} ({sizeName})";
        return size?[Operations.Aggregate] is { } aggregate
            ? new Check(name, limit, $"{F(aggregate.Ms, 0)} ms{(aggregate.FirstRunMs is { } first ? $" (first run on the audit {F(first, 0)} ms)" : "")}",
                Result(orEqual ? aggregate.Ms <= limitMs : aggregate.Ms < limitMs))
            : NotRun(name, target: limit);
    }

    private static Check NotRun(string name, string target) => new(name, target, "not measured", "n/a");

    private static string Result(bool passed) => passed ? "PASS" : "FAIL";

    private static string F(double value, int decimals) => value.ToString($"N{decimals}", CultureInfo.InvariantCulture);
}
