namespace AuditTool.Benchmarks;

/// <summary>One audit size of the issue: its shape, how many times it is loaded and how many runs each measurement gets.</summary>
public sealed record BenchmarkSize(string Name, int Cases, int Agencies, int Questions, int Loads, int Runs)
{
    public static BenchmarkSize Partnership { get; } = new("partnership", 50, 8, 60, Loads: 3, Runs: 5);

    public static BenchmarkSize Regional { get; } = new("regional", 2_000, 6, 50, Loads: 2, Runs: 3);

    public static BenchmarkSize Large { get; } = new("large", 5_000, 6, 50, Loads: 1, Runs: 3);

    public static IReadOnlyList<BenchmarkSize> All { get; } = [Partnership, Regional, Large];

    /// <summary>Every question of every return is answered.</summary>
    public long Answers => (long)Cases * Agencies * Questions;
}
