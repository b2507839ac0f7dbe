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

public sealed record AuditLogQuery(string? UserName, string? Entity, DateOnly? From, DateOnly? To, int Skip, int Take);

public sealed record AuditLogPage(IReadOnlyList<AuditLogEntry> Entries, int Total);

public interface IAuditLog
{
    Task WriteAsync(AuditLogEntry entry);

    Task<IReadOnlyList<AuditLogEntry>> GetLatestAsync(int count);

    /// <summary>Newest first; user name matches a part, entity exactly, dates are whole UTC days (inclusive).</summary>
    Task<AuditLogPage> SearchAsync(AuditLogQuery query);

    Task<IReadOnlyList<string>> GetEntitiesAsync();
}
