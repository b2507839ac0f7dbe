using AuditTool.Domain.Security;

namespace AuditTool.Domain.Logging;

/// <summary>
/// The append-only audit log, read by administrators and scrutineers; nobody can change it. Values that are case content
/// (answers, evidence, moderation rationales, amendment comments, quotes) are for scrutineers only: an administrator
/// sees who, when, what kind of change and which audit, case and agency, never the value.
/// </summary>
public sealed class AuditLogService(IAuditLog log, AccessPolicy access)
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

    /// <summary>The one rule: case content in the log is shown to scrutineers only (the command line acts as the system).</summary>
    public static bool ShowsCaseContent(Accounts.User? reader) => reader is null || reader.Role == Role.Scrutineer;

    public static AuditLogLine Redact(AuditLogLine line) =>
        line.CaseContent ? line with { OldValues = null, NewValues = null, ValuesHidden = true } : line;
}
