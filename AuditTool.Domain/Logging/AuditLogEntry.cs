namespace AuditTool.Domain.Logging;

/// <summary>One line of the append-only audit log: who, when (UTC), what, and the values before and after.</summary>
public sealed record AuditLogEntry(
    DateTimeOffset AtUtc,
    long? UserId,
    string UserName,
    string Action,
    string Entity,
    string? EntityId,
    string? OldValues,
    string? NewValues);

public interface IAuditLog
{
    Task WriteAsync(AuditLogEntry entry);

    Task<IReadOnlyList<AuditLogEntry>> GetLatestAsync(int count);
}
