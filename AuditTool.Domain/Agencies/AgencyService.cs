using System.Text.Json;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;

namespace AuditTool.Domain.Agencies;

public sealed class AgencyService(IAgencyRepository agencies, AccessPolicy access, IAuditLog log, TimeProvider clock)
{
    /// <summary>Agency names and kinds are not sensitive: every signed-in role may list them.</summary>
    public async Task<IReadOnlyList<Agency>> GetAllAsync(Actor actor)
    {
        await access.RequireAsync(actor, "agencies.list", Roles.All.ToArray());
        return await agencies.GetAllAsync();
    }

    public async Task<long> CreateAsync(Actor actor, string key, string name, string kind)
    {
        await access.RequireAsync(actor, "agencies.create", Role.Administrator);
        var agency = Validate(key, name, kind, 0);
        if (await agencies.GetByKeyAsync(agency.Key) is not null)
        {
            throw new DomainValidationException($"An agency with the key '{agency.Key}' already exists.");
        }

        var id = await agencies.CreateAsync(agency);
        await log.WriteAsync(new AuditLogEntry(clock.GetUtcNow(), Who(actor), actor.UserName, "create", "agency",
            id.ToString(), null, Describe(agency)));
        return id;
    }

    public async Task UpdateAsync(Actor actor, long id, string name, string kind)
    {
        await access.RequireAsync(actor, "agencies.update", Role.Administrator);
        var existing = await agencies.GetByIdAsync(id) ?? throw new DomainValidationException("That agency does not exist.");
        var updated = Validate(existing.Key, name, kind, id);
        await agencies.ReplaceAsync(updated);
        await log.WriteAsync(new AuditLogEntry(clock.GetUtcNow(), Who(actor), actor.UserName, "update", "agency",
            id.ToString(), Describe(existing), Describe(updated)));
    }

    private static Agency Validate(string key, string name, string kind, long id)
    {
        var problems = new List<string>();
        if (!Agency.IsValidKey(key?.Trim()))
        {
            problems.Add("An agency key is 1 to 64 lowercase letters, digits and hyphens, starting with a letter or digit.");
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add("Give the agency a name.");
        }
        else if (name.Trim().Length > Agency.MaxNameLength)
        {
            problems.Add($"An agency name is at most {Agency.MaxNameLength} characters.");
        }

        if (!AgencyKinds.IsKnown(kind))
        {
            problems.Add($"Choose the agency's kind ({string.Join(", ", AgencyKinds.All)}).");
        }

        if (problems.Count > 0)
        {
            throw new DomainValidationException(problems);
        }

        return Agency.Create(key!.Trim(), name, kind, id);
    }

    private static long? Who(Actor actor) => actor.IsSystem ? null : actor.UserId;

    private static string Describe(Agency a) => JsonSerializer.Serialize(new { key = a.Key, name = a.Name, kind = a.Kind });
}
