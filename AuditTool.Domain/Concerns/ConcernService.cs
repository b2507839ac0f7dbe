using System.Globalization;
using System.Text.Json;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;

namespace AuditTool.Domain.Concerns;

/// <summary>A concern as its reader sees it, with what the reader may do next.</summary>
public sealed record ConcernView(Concern Concern, string? RaisedAgencyName, IReadOnlyList<string> CaseAgencyNames,
    bool CanAcknowledge, bool CanRecordAction, bool CanClose);

public sealed record ConcernQuery(long? AuditId = null, string? State = null);

/// <summary>
/// Safeguarding concerns found while auditing (PRODUCT.md "Safeguarding concerns"). Every rule is here, checked on every
/// call from the database, whatever the page sent:
/// <list type="bullet">
/// <item>raise: an auditor on a case their own agency has a return for; a scrutineer on any case; at any stage of the
/// audit (the blind stage does not hide a child at risk).</item>
/// <item>read (descriptions included): scrutineers, the safeguarding leads of the agencies on the case, and the person
/// who raised it; never executives or administrators (executives see counts on published reports).</item>
/// <item>acknowledge: a safeguarding lead of an agency on the case, once. Record the action: such a lead or a
/// scrutineer, once acknowledged. Close: a scrutineer.</item>
/// </list>
/// Every step writes its audit log line in its own transaction; descriptions and actions are case content.
/// </summary>
public sealed class ConcernService(
    IConcernRepository concerns,
    IAuditRepository audits,
    IAgencyRepository agencies,
    AccessPolicy access,
    IAuditLog log,
    TimeProvider clock)
{
    public const int MaxDescriptionLength = 2000;
    public const int MaxToldLength = 500;
    public const int MaxActionLength = 2000;

    public async Task<long> RaiseAsync(Actor actor, long auditId, long caseId, string? description, string? told)
    {
        var user = await access.RequireAsync(actor, "concerns.raise", Role.Auditor, Role.Scrutineer);
        var audit = await audits.GetByIdAsync(auditId) ?? throw new DomainValidationException("That audit does not exist.");
        var theCase = (await audits.GetCasesAsync(audit.Id)).FirstOrDefault(c => c.Id == caseId)
            ?? throw new DomainValidationException("That case is not in this audit.");
        long? agencyId = null;
        if (user is { Role: Role.Auditor })
        {
            var own = (await audits.GetReturnsAsync(audit.Id)).Any(r => r.CaseId == theCase.Id && r.AgencyId == user.AgencyId);
            if (!own)
            {
                await RefuseAsync(actor, "concerns.raise", $"case {theCase.Id}");
            }

            agencyId = user.AgencyId;
        }

        description = description?.Trim() ?? string.Empty;
        told = told?.Trim() ?? string.Empty;
        var problems = new List<string>();
        if (description.Length == 0)
        {
            problems.Add("Say why assurance was not gained: the description of the concern is required.");
        }
        else if (description.Length > MaxDescriptionLength)
        {
            problems.Add($"A description is at most {MaxDescriptionLength:N0} characters; this one has {description.Length:N0}.");
        }

        if (told.Length > MaxToldLength)
        {
            problems.Add($"Who was told is at most {MaxToldLength:N0} characters; this has {told.Length:N0}.");
        }

        if (problems.Count > 0)
        {
            throw new DomainValidationException(problems);
        }

        var now = clock.GetUtcNow();
        var agencyKey = agencyId is { } a ? (await agencies.GetByIdAsync(a))?.Key : null;
        return await concerns.CreateAsync(
            new NewConcern(audit.Id, theCase.Id, agencyId, description, told, user?.Id, actor.UserName, now),
            new AuditLogEntry(now, user?.Id, actor.UserName, "raise", "concern", null, null,
                JsonSerializer.Serialize(new { description, told }), new LogSubject(audit.Id, theCase.Ref, agencyKey), CaseContent: true));
    }

    /// <summary>The concerns the reader may read, newest first, filtered by audit and state.</summary>
    public async Task<IReadOnlyList<ConcernView>> ListAsync(Actor actor, ConcernQuery query)
    {
        var user = await access.RequireAsync(actor, "concerns.list", Role.Scrutineer, Role.Auditor, Role.Manager);
        if (query.State is { Length: > 0 } state && !ConcernStates.All.Contains(state))
        {
            throw new DomainValidationException($"'{state}' is not a state of a concern.");
        }

        var names = (await agencies.GetAllAsync()).ToDictionary(a => a.Id, a => a.Name);
        return (await concerns.GetManyAsync(query.AuditId))
            .Where(c => CanRead(user, c) && (string.IsNullOrEmpty(query.State) || c.State == query.State))
            .OrderByDescending(c => c.RaisedUtc).ThenByDescending(c => c.Id)
            .Select(c => View(user, c, names))
            .ToList();
    }

    public async Task<ConcernView> GetAsync(Actor actor, long concernId)
    {
        var user = await access.RequireAsync(actor, "concerns.read", Role.Scrutineer, Role.Auditor, Role.Manager);
        var concern = await concerns.GetByIdAsync(concernId);
        if (concern is null || !CanRead(user, concern))
        {
            await RefuseAsync(actor, "concerns.read", $"concern {concernId}");
        }

        var names = (await agencies.GetAllAsync()).ToDictionary(a => a.Id, a => a.Name);
        return View(user, concern!, names);
    }

    public async Task AcknowledgeAsync(Actor actor, long concernId)
    {
        var user = await access.RequireAsync(actor, "concerns.acknowledge", Role.Auditor, Role.Manager);
        var concern = await concerns.GetByIdAsync(concernId);
        if (concern is null || !IsLeadFor(user, concern))
        {
            await RefuseAsync(actor, "concerns.acknowledge", $"concern {concernId}");
        }

        if (concern!.State != ConcernStates.Raised)
        {
            throw new DomainValidationException(
                $"This concern was acknowledged already ({concern.AcknowledgedByName}, {concern.AcknowledgedUtc:yyyy-MM-dd HH:mm} UTC).");
        }

        var now = clock.GetUtcNow();
        if (!await concerns.AcknowledgeAsync(concern.Id, user?.Id, actor.UserName, now,
                Entry(actor, user, now, "acknowledge", concern, ConcernStates.Raised, ConcernStates.Acknowledged, caseContent: false)))
        {
            throw Moved();
        }
    }

    public async Task RecordActionAsync(Actor actor, long concernId, string? action)
    {
        var user = await access.RequireAsync(actor, "concerns.record-action", Role.Auditor, Role.Manager, Role.Scrutineer);
        var concern = await concerns.GetByIdAsync(concernId);
        if (concern is null || !(user is null or { Role: Role.Scrutineer } || IsLeadFor(user, concern)))
        {
            await RefuseAsync(actor, "concerns.record-action", $"concern {concernId}");
        }

        action = action?.Trim() ?? string.Empty;
        if (action.Length == 0)
        {
            throw new DomainValidationException("Say what was done: the action is required.");
        }

        if (action.Length > MaxActionLength)
        {
            throw new DomainValidationException($"An action is at most {MaxActionLength:N0} characters; this one has {action.Length:N0}.");
        }

        if (concern!.State != ConcernStates.Acknowledged)
        {
            throw new DomainValidationException(concern.State == ConcernStates.Raised
                ? "A concern is acknowledged by a safeguarding lead before its action is recorded."
                : "This concern's action is recorded already.");
        }

        var now = clock.GetUtcNow();
        if (!await concerns.RecordActionAsync(concern.Id, action, user?.Id, actor.UserName, now,
                Entry(actor, user, now, "record-action", concern, ConcernStates.Acknowledged, JsonSerializer.Serialize(new { action }), caseContent: true)))
        {
            throw Moved();
        }
    }

    public async Task CloseAsync(Actor actor, long concernId)
    {
        var user = await access.RequireAsync(actor, "concerns.close", Role.Scrutineer);
        var concern = await concerns.GetByIdAsync(concernId) ?? throw new DomainValidationException("That concern does not exist.");
        if (concern.State == ConcernStates.Closed)
        {
            throw new DomainValidationException("This concern is closed already.");
        }

        if (concern.State == ConcernStates.Raised)
        {
            throw new DomainValidationException("A concern is acknowledged by a safeguarding lead of the case's agencies before it is closed.");
        }

        var now = clock.GetUtcNow();
        if (!await concerns.CloseAsync(concern.Id, user?.Id, actor.UserName, now,
                Entry(actor, user, now, "close", concern, concern.State, ConcernStates.Closed, caseContent: false)))
        {
            throw Moved();
        }
    }

    /// <summary>
    /// The counts of an audit's concerns (no description): for scrutineers at any stage; for managers and executives
    /// once the audit is published, as the report shows them.
    /// </summary>
    public async Task<ConcernFigures> GetFiguresAsync(Actor actor, long auditId)
    {
        var user = await access.RequireAsync(actor, "concerns.figures", Role.Scrutineer, Role.Manager, Role.Executive);
        var audit = await audits.GetByIdAsync(auditId) ?? throw new DomainValidationException("That audit does not exist.");
        if (user is { Role: not Role.Scrutineer } && audit.Status != AuditStatuses.Published)
        {
            await RefuseAsync(actor, "concerns.figures", $"audit {auditId}");
        }

        return ConcernFigures.From(await concerns.GetManyAsync(audit.Id));
    }

    /// <summary>Scrutineers, the leads of the case's agencies, and whoever raised it.</summary>
    public static bool CanRead(User? user, Concern concern) =>
        user is null or { Role: Role.Scrutineer } || IsLeadFor(user, concern) ||
        (user.Role is Role.Auditor && concern.RaisedBy == user.Id);

    /// <summary>A safeguarding lead (an active manager or auditor flagged so) of an agency with a return on the case.</summary>
    public static bool IsLeadFor(User? user, Concern concern) =>
        user is { IsSafeguardingLead: true, AgencyId: { } agencyId } && concern.CaseAgencyIds.Contains(agencyId);

    private static ConcernView View(User? user, Concern c, IReadOnlyDictionary<long, string> names) => new(
        c,
        c.RaisedAgencyId is { } a ? names.GetValueOrDefault(a) : null,
        c.CaseAgencyIds.Select(id => names.GetValueOrDefault(id, "?")).Order(StringComparer.Ordinal).ToList(),
        c.State == ConcernStates.Raised && IsLeadFor(user, c),
        c.State == ConcernStates.Acknowledged && (user is null or { Role: Role.Scrutineer } || IsLeadFor(user, c)),
        c.State is ConcernStates.Acknowledged or ConcernStates.ActionRecorded && user is null or { Role: Role.Scrutineer });

    private static AuditLogEntry Entry(Actor actor, User? user, DateTimeOffset now, string action, Concern concern, string before, string after,
        bool caseContent) =>
        new(now, user?.Id, actor.UserName, action, "concern", concern.Id.ToString(CultureInfo.InvariantCulture), before, after,
            new LogSubject(concern.AuditId, concern.CaseRef), caseContent);

    private async Task RefuseAsync(Actor actor, string what, string subject)
    {
        await log.WriteAsync(new AuditLogEntry(clock.GetUtcNow(), actor.IsSystem ? null : actor.UserId, actor.UserName,
            "access-refused", "concern", subject, null, what));
        throw new AccessDeniedException("You do not have access to this concern.");
    }

    private static DomainValidationException Moved() => new("This concern changed in the meantime: reload and look again.");
}
