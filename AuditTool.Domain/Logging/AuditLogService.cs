using AuditTool.Domain.Security;

namespace AuditTool.Domain.Logging;

/// <summary>Administrators browse the append-only audit log; nobody can change it.</summary>
public sealed class AuditLogService(IAuditLog log, AccessPolicy access)
{
    public const int MaxPageSize = 500;

    public async Task<AuditLogPage> SearchAsync(Actor actor, AuditLogQuery query)
    {
        await access.RequireAsync(actor, "audit-log.search", Role.Administrator);
        if (query.From is { } from && query.To is { } to && from > to)
        {
            throw new DomainValidationException("The start date is after the end date.");
        }

        return await log.SearchAsync(query with
        {
            UserName = string.IsNullOrWhiteSpace(query.UserName) ? null : query.UserName.Trim(),
            Entity = string.IsNullOrWhiteSpace(query.Entity) ? null : query.Entity,
            Skip = Math.Max(0, query.Skip),
            Take = Math.Clamp(query.Take, 1, MaxPageSize),
        });
    }

    public async Task<IReadOnlyList<string>> GetEntitiesAsync(Actor actor)
    {
        await access.RequireAsync(actor, "audit-log.entities", Role.Administrator);
        return await log.GetEntitiesAsync();
    }
}
