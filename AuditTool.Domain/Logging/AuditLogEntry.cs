namespace AuditTool.Domain.Logging;

/// <summary>What a log line is about, by the names people use: the audit, the case reference and the agency.</summary>
public sealed record LogSubject(long? AuditId, string? CaseRef = null, string? AgencyKey = null);

/// <summary>
/// One line of the append-only audit log: who, when (UTC), what, and the values before and after.
/// <paramref name="CaseContent"/> marks values that are case content (answers, evidence, moderation rationales,
/// amendment comments, quotes): they are for scrutineers only, never shown to an administrator.
/// </summary>
public sealed record AuditLogEntry(
    DateTimeOffset AtUtc,
    long? UserId,
    string UserName,
    string Action,
    string Entity,
    string? EntityId,
    string? OldValues,
    string? NewValues,
    LogSubject? Subject = null,
    bool CaseContent = false);

public sealed record AuditLogQuery(string? UserName, string? Entity, DateOnly? From, DateOnly? To, int Skip, int Take, long? AuditId = null);

/// <summary>A log line as a reader sees it: its subject named, its values null and <see cref="ValuesHidden"/> set when
/// they are case content and the reader is not a scrutineer.</summary>
public sealed record AuditLogLine(
    long Id,
    DateTimeOffset AtUtc,
    string UserName,
    string Action,
    string Entity,
    string? EntityId,
    string? AuditTitle,
    string? CaseRef,
    string? AgencyName,
    string? OldValues,
    string? NewValues,
    bool CaseContent,
    bool ValuesHidden = false)
{
    /// <summary>What the line records in words: "Changed answer", "Submitted return" (<see cref="AuditLogWords"/>).</summary>
    public string What => AuditLogWords.What(Action, Entity);

    /// <summary>What the line is about in words: "Deep dive · case HA-008 · Cleveland Police · question overall".</summary>
    public string Subject
    {
        get
        {
            var parts = new List<string>();
            if (AuditTitle is not null)
            {
                parts.Add(AuditTitle);
            }

            if (CaseRef is not null)
            {
                parts.Add($"case {CaseRef}");
            }

            if (AgencyName is not null)
            {
                parts.Add(AgencyName);
            }

            // Answers, evidence and moderation are identified by "id/question": the question is what a reader needs.
            var slash = EntityId?.IndexOf('/', StringComparison.Ordinal) ?? -1;
            if (Entity is "answer" or "evidence" or "moderation" && slash >= 0)
            {
                parts.Add($"question {EntityId![(slash + 1)..]}");
            }
            else if (parts.Count == 0 && EntityId is not null)
            {
                parts.Add(EntityId);
            }

            return string.Join(" · ", parts);
        }
    }
}

public sealed record AuditLogPage(IReadOnlyList<AuditLogLine> Entries, int Total);

/// <summary>A recorded check of the chain (<see cref="AuditLogChain"/>).</summary>
public sealed record AuditLogCheckRecord(DateTimeOffset AtUtc, string CheckedBy, long Entries, bool Intact, long? FirstBrokenId,
    string Message, long? LastId, string? LastHash);

public interface IAuditLog
{
    Task WriteAsync(AuditLogEntry entry);

    /// <summary>Every line as stored, in the order written, streamed (for checking the chain).</summary>
    IAsyncEnumerable<ChainedLine> ReadChainAsync(CancellationToken cancel = default);

    Task RecordCheckAsync(AuditLogCheckRecord check);

    /// <summary>The latest check; <paramref name="intactOnly"/>: the latest that found the chain intact.</summary>
    Task<AuditLogCheckRecord?> GetLastCheckAsync(bool intactOnly = false);

    Task<IReadOnlyList<AuditLogLine>> GetLatestAsync(int count);

    /// <summary>Newest first; user name matches a part, entity exactly, dates are whole UTC days (inclusive).</summary>
    Task<AuditLogPage> SearchAsync(AuditLogQuery query);

    Task<IReadOnlyList<string>> GetEntitiesAsync();

    /// <summary>Where disposal blanked values and re-computed the chain, oldest first.</summary>
    Task<IReadOnlyList<AuditLogAnchor>> GetAnchorsAsync() => Task.FromResult<IReadOnlyList<AuditLogAnchor>>([]);
}

/// <summary>A re-anchoring of the chain by disposal: from which entry, why, and how many entries' values were blanked.</summary>
public sealed record AuditLogAnchor(DateTimeOffset AtUtc, string Reason, long? AuditId, long FirstId, long LastId, int LinesBlanked);
