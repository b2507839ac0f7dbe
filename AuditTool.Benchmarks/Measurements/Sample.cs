namespace AuditTool.Benchmarks.Measurements;

/// <summary>What one child process measured: the one JSON line it prints.</summary>
/// <param name="ElapsedMs">The measured operation only (services built and JIT warmed on a small audit first).</param>
/// <param name="PeakWorkingSetBytes">The process's peak working set (VmHWM) at the end: everything the process ever held.</param>
/// <param name="BaselineWorkingSetBytes">Working set just before the measured operation (runtime, services, warm-up).</param>
/// <param name="AllocatedBytes">Managed bytes allocated by the measured operation.</param>
/// <param name="TotalAllocatedBytes">Managed bytes allocated by the whole process.</param>
/// <param name="Rows">Response rows written (references), returns aggregated (aggregate); null for the export.</param>
/// <param name="WarmUpMs">The first run on the warm-up audit: cold, JIT compilation included.</param>
/// <param name="CpuMs">Processor time of the child process (all its threads) during the measured operation: on a busy machine a
/// steadier figure than the elapsed time. A PostgreSQL server's own processor time is not in it.</param>
/// <param name="FirstRunMs">Aggregation only: the untimed run on the measured audit just before the timed one (see
/// <see cref="ChildMeasurement"/>).</param>
/// <param name="RoundTrips">Service measurements on PostgreSQL: the median round trips of one action, counted on the wire.</param>
/// <param name="MaxMs">Service measurements: the slowest of the timed repeats (<paramref name="ElapsedMs"/> is their median).</param>
public sealed record Sample(
    string What,
    double ElapsedMs,
    long PeakWorkingSetBytes,
    long BaselineWorkingSetBytes,
    long AllocatedBytes,
    long TotalAllocatedBytes,
    int Gen2Collections,
    long OutputBytes,
    long? Rows,
    double WarmUpMs,
    bool ServerGc,
    double? CpuMs = null,
    double? FirstRunMs = null,
    double? RoundTrips = null,
    double? MaxMs = null);
