namespace AuditTool.Domain.Aggregation;

/// <summary>An audit's figures as computed at <see cref="ComputedUtc"/>, when its change counter was <see cref="Changes"/>.</summary>
public sealed record StoredFigures(AuditFigures Figures, BaselineComparison? Baseline, string? BaselineTitle, long Changes, DateTimeOffset ComputedUtc);

/// <summary>Published audits' figures kept as computed, and each audit's change counter.</summary>
public interface IFiguresStore
{
    Task<StoredFigures?> GetAsync(long auditId);

    /// <summary>The audit's change counter: it moves with every write that can change its figures.</summary>
    Task<long> GetChangesAsync(long auditId);

    /// <summary>Keeps (or replaces) an audit's figures, and moves its change counter (servers holding older ones drop them).</summary>
    Task SaveAsync(long auditId, StoredFigures figures);
}
