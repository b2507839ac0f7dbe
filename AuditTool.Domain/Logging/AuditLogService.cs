using AuditTool.Domain.Security;

namespace AuditTool.Domain.Logging;

/// <summary>
/// The append-only audit log, read by administrators and scrutineers; nobody can change it. Values that are case content
/// (answers, evidence, moderation rationales, amendment comments, quotes) are for scrutineers only: an administrator
/// sees who, when, what kind of change and which audit, case and agency, never the value.
/// </summary>
public sealed class AuditLogService(IAuditLog log, AccessPolicy access, TimeProvider clock)
{
    public const int MaxPageSize = 500;

    public async Task<AuditLogPage> SearchAsync(Actor actor, AuditLogQuery query)
    {
        var user = await access.RequireAsync(actor, "audit-log.search", Role.Administrator, Role.Scrutineer);
        if (query.From is { } from && query.To is { } to && from > to)
        {
            throw new DomainValidationException("The start date is after the end date.");
        }

        var page = await log.SearchAsync(query with
        {
            UserName = string.IsNullOrWhiteSpace(query.UserName) ? null : query.UserName.Trim(),
            Entity = string.IsNullOrWhiteSpace(query.Entity) ? null : query.Entity,
            Skip = Math.Max(0, query.Skip),
            Take = Math.Clamp(query.Take, 1, MaxPageSize),
        });
        return ShowsCaseContent(user) ? page : page with { Entries = page.Entries.Select(Redact).ToList() };
    }

    public async Task<IReadOnlyList<string>> GetEntitiesAsync(Actor actor)
    {
        await access.RequireAsync(actor, "audit-log.entities", Role.Administrator, Role.Scrutineer);
        return await log.GetEntitiesAsync();
    }

    /// <summary>
    /// Checks the whole chain (administrators, and the command line and the daily check as the system) and records what
    /// it found; the end of the log is held to the last line an earlier intact check saw.
    /// </summary>
    public async Task<AuditLogCheckRecord> VerifyAsync(Actor actor, CancellationToken cancel = default)
    {
        await access.RequireAsync(actor, "audit-log.verify", Role.Administrator);
        var anchor = await log.GetLastCheckAsync(intactOnly: true);
        var lines = new List<ChainedLine>();
        await foreach (var line in log.ReadChainAsync(cancel))
        {
            lines.Add(line);
        }

        var check = AuditLogChain.Verify(lines, anchor is { LastId: { } id, LastHash: { } hash } ? (id, hash) : null);
        // Disposal blanks case content in the log and re-computes the chain from there: say where, so a reader knows
        // the chain after that entry was sealed again by the disposal (checked intact first), not written that way.
        var anchors = await log.GetAnchorsAsync();
        var message = anchors.Count == 0 ? check.Message : check.Message + " Re-anchored by disposal: " + string.Join("; ", anchors.Select(a =>
            $"from entry {a.FirstId} on {a.AtUtc:yyyy-MM-dd} ({a.Reason}, {a.LinesBlanked} entries' values blanked)")) + ".";
        var record = new AuditLogCheckRecord(clock.GetUtcNow(), actor.UserName, check.Entries, check.Intact, check.FirstBrokenId,
            message, check.LastId, check.LastHash);
        await log.RecordCheckAsync(record);
        return record;
    }

    public async Task<AuditLogCheckRecord?> GetLastCheckAsync(Actor actor)
    {
        await access.RequireAsync(actor, "audit-log.last-check", Role.Administrator, Role.Scrutineer);
        return await log.GetLastCheckAsync();
    }

    /// <summary>The one rule: case content in the log is shown to scrutineers only (the command line acts as the system).</summary>
    public static bool ShowsCaseContent(Accounts.User? reader) => reader is null || reader.Role == Role.Scrutineer;

    public static AuditLogLine Redact(AuditLogLine line) =>
        line.CaseContent ? line with { OldValues = null, NewValues = null, ValuesHidden = true } : line;
}
