using AuditTool.Data;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Concerns;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;
using AuditTool.Tests.Support;
using Xunit.Abstractions;

namespace AuditTool.Tests.Concerns;

/// <summary>
/// Safeguarding concerns, every role and kind of account against every action, on an open audit (the blind stage):
/// police and education have a return on every case; health is not on the audit. The police auditor raises the
/// concern; the police manager and an education auditor are safeguarding leads; so is a health manager (not on the case).
/// Each cell gets a concern of its own, brought to the state the action starts from, and asserts refused or done.
/// </summary>
public abstract class ConcernAccessTests(ITestOutputHelper output, DatabaseEngine engine) : DatabaseTests(engine)
{
    private const string Admin = "administrator";
    private const string Scrutineer = "scrutineer";
    private const string Raiser = "police auditor (raised it)";
    private const string OtherAuditor = "education auditor";
    private const string PoliceLead = "police manager, lead";
    private const string EducationLead = "education auditor, lead";
    private const string HealthLead = "health manager, lead (not on the case)";
    private const string HealthAuditor = "health auditor (not on the case)";
    private const string Executive = "executive";
    private const string Forged = "forged";

    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["raise"] = [Scrutineer, Raiser, OtherAuditor, EducationLead],
        ["read"] = [Scrutineer, Raiser, PoliceLead, EducationLead],
        ["acknowledge"] = [PoliceLead, EducationLead],
        ["record-action"] = [Scrutineer, PoliceLead, EducationLead],
        ["close"] = [Scrutineer],
        ["figures"] = [Scrutineer],
    };

    private sealed record World(AuditScenario S, Dictionary<string, Actor> Actors, long CaseId, ConcernService Concerns);

    private async Task<World> WorldAsync()
    {
        var s = await ScenarioAsync(cases: 2);
        var admin = s.Db.Get<UserAdminService>();
        var healthId = await s.Db.Get<IAgencyRepository>().CreateAsync(Agency.Create("health", "Health services", AgencyKinds.Health));
        var educationLead = await s.Db.CreateUserAsync("education.lead", Role.Auditor, s.EducationId);
        var healthLead = await s.Db.CreateUserAsync("health.lead", Role.Manager, healthId);
        var healthAuditor = await s.Db.CreateUserAsync("health.auditor", Role.Auditor, healthId);
        foreach (var lead in new[] { s.PoliceManager, educationLead, healthLead })
        {
            await admin.SetSafeguardingLeadAsync(s.Administrator, lead.UserId, true);
        }

        var actors = new Dictionary<string, Actor>
        {
            [Admin] = s.Administrator, [Scrutineer] = s.Scrutineer, [Raiser] = s.PoliceAuditor, [OtherAuditor] = s.EducationAuditor,
            [PoliceLead] = s.PoliceManager, [EducationLead] = educationLead, [HealthLead] = healthLead, [HealthAuditor] = healthAuditor,
            [Executive] = s.Executive, [Forged] = new Actor(987_654, "forged", Role.Scrutineer, null),
        };
        var caseId = (await s.Db.Get<IAuditRepository>().GetCasesAsync(s.AuditId))[0].Id;
        return new World(s, actors, caseId, s.Db.Get<ConcernService>());
    }

    /// <summary>A fresh concern raised by the police auditor, moved on to <paramref name="state"/>.</summary>
    private static async Task<long> ConcernInAsync(World w, string state)
    {
        var id = await w.Concerns.RaiseAsync(w.S.PoliceAuditor, w.S.AuditId, w.CaseId, "Bruising seen at the visit, not followed up", "Duty social worker");
        if (state == ConcernStates.Raised)
        {
            return id;
        }

        await w.Concerns.AcknowledgeAsync(w.S.PoliceManager, id);
        if (state == ConcernStates.Acknowledged)
        {
            return id;
        }

        await w.Concerns.RecordActionAsync(w.S.PoliceManager, id, "Referred to the front door");
        return id;
    }

    [Fact]
    public async Task EveryActionAndEveryRole_AreAllowedOrRefusedAsTheRulesSay()
    {
        var w = await WorldAsync();
        using var __ = w.S;
        var problems = new List<string>();
        var cells = 0;
        foreach (var (action, allowed) in Allowed)
        {
            foreach (var (who, actor) in w.Actors)
            {
                cells++;
                var (refused, done) = await TryAsync(w, action, actor);
                var shouldBeAllowed = allowed.Contains(who);
                if (refused == shouldBeAllowed)
                {
                    problems.Add($"{action} as {who}: {(refused ? "refused" : "allowed")}, the rules say {(shouldBeAllowed ? "allowed" : "refused")}.");
                }
                else if (shouldBeAllowed && !done)
                {
                    problems.Add($"{action} as {who}: let through, but the concern did not move on.");
                }
            }
        }

        output.WriteLine($"{cells} cells checked.");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static async Task<(bool Refused, bool Done)> TryAsync(World w, string action, Actor actor)
    {
        try
        {
            switch (action)
            {
                case "raise":
                {
                    var id = await w.Concerns.RaiseAsync(actor, w.S.AuditId, w.CaseId, "A child who may be at risk now", "Nobody yet");
                    var stored = await w.S.Db.Get<IConcernRepository>().GetByIdAsync(id);
                    return (false, stored is { State: ConcernStates.Raised, Description: "A child who may be at risk now" });
                }
                case "read":
                {
                    var id = await ConcernInAsync(w, ConcernStates.Raised);
                    bool listed;
                    try
                    {
                        listed = (await w.Concerns.ListAsync(actor, new ConcernQuery(w.S.AuditId))).Any(v => v.Concern.Id == id);
                    }
                    catch (AccessDeniedException)
                    {
                        listed = false;
                    }

                    var view = await w.Concerns.GetAsync(actor, id);
                    Assert.True(listed, "A concern its reader may open must be in their list.");
                    return (false, view.Concern.Description.Length > 0);
                }
                case "acknowledge":
                {
                    var id = await ConcernInAsync(w, ConcernStates.Raised);
                    await w.Concerns.AcknowledgeAsync(actor, id);
                    var stored = await w.S.Db.Get<IConcernRepository>().GetByIdAsync(id);
                    return (false, stored is { State: ConcernStates.Acknowledged, AcknowledgedUtc: not null } && stored.AcknowledgedByName == actor.UserName);
                }
                case "record-action":
                {
                    var id = await ConcernInAsync(w, ConcernStates.Acknowledged);
                    await w.Concerns.RecordActionAsync(actor, id, "Strategy discussion held");
                    var stored = await w.S.Db.Get<IConcernRepository>().GetByIdAsync(id);
                    return (false, stored is { State: ConcernStates.ActionRecorded, ActionTaken: "Strategy discussion held" } && stored.ActionByName == actor.UserName);
                }
                case "close":
                {
                    var id = await ConcernInAsync(w, ConcernStates.ActionRecorded);
                    await w.Concerns.CloseAsync(actor, id);
                    var stored = await w.S.Db.Get<IConcernRepository>().GetByIdAsync(id);
                    return (false, stored is { State: ConcernStates.Closed, ClosedUtc: not null });
                }
                case "figures":
                {
                    await ConcernInAsync(w, ConcernStates.Raised);
                    var figures = await w.Concerns.GetFiguresAsync(actor, w.S.AuditId);
                    return (false, figures.CasesEscalated == 1);
                }
                default:
                    throw new InvalidOperationException(action);
            }
        }
        catch (AccessDeniedException)
        {
            return (true, false);
        }
    }

    [Fact]
    public async Task EveryStep_IsInTheAuditLog_DescriptionsAsCaseContent_HiddenFromAdministrators()
    {
        var w = await WorldAsync();
        using var _ = w.S;
        var id = await ConcernInAsync(w, ConcernStates.ActionRecorded);
        await w.Concerns.CloseAsync(w.S.Scrutineer, id);

        var search = w.S.Db.Get<AuditLogService>();
        var query = new AuditLogQuery(null, "concern", null, null, 0, 50);
        var asScrutineer = (await search.SearchAsync(w.S.Scrutineer, query)).Entries.Where(l => l.EntityId == id.ToString()).ToList();
        var asAdmin = (await search.SearchAsync(w.S.Administrator, query)).Entries.Where(l => l.EntityId == id.ToString()).ToList();

        Assert.Equal(["raise", "acknowledge", "record-action", "close"], asScrutineer.OrderBy(l => l.Id).Select(l => l.Action));
        Assert.All(asScrutineer, l => Assert.Equal("C-001", l.CaseRef));
        Assert.Contains("Bruising seen at the visit", asScrutineer.Single(l => l.Action == "raise").NewValues);
        Assert.Contains("Referred to the front door", asScrutineer.Single(l => l.Action == "record-action").NewValues);
        Assert.True(asScrutineer.Single(l => l.Action == "raise").CaseContent);
        Assert.Equal(4, asAdmin.Count);
        Assert.All(asAdmin.Where(l => l.CaseContent), l => Assert.Null(l.NewValues));
        Assert.DoesNotContain(asAdmin, l => (l.NewValues ?? "").Contains("Bruising", StringComparison.Ordinal) ||
                                            (l.NewValues ?? "").Contains("front door", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BadInput_GetsAClearMessage_AndChangesNothing()
    {
        var w = await WorldAsync();
        using var _ = w.S;
        var blank = await Assert.ThrowsAsync<DomainValidationException>(() => w.Concerns.RaiseAsync(w.S.PoliceAuditor, w.S.AuditId, w.CaseId, "  ", ""));
        Assert.Contains("description of the concern is required", blank.Message);
        var tooLong = await Assert.ThrowsAsync<DomainValidationException>(() =>
            w.Concerns.RaiseAsync(w.S.PoliceAuditor, w.S.AuditId, w.CaseId, new string('x', ConcernService.MaxDescriptionLength + 1), ""));
        Assert.Contains("at most 2,000 characters", tooLong.Message);
        Assert.Empty(await w.S.Db.Get<IConcernRepository>().GetManyAsync(w.S.AuditId));

        var id = await ConcernInAsync(w, ConcernStates.Raised);
        var early = await Assert.ThrowsAsync<DomainValidationException>(() => w.Concerns.RecordActionAsync(w.S.Scrutineer, id, "Done"));
        Assert.Contains("acknowledged by a safeguarding lead", early.Message);
        await w.Concerns.AcknowledgeAsync(w.S.PoliceManager, id);
        var twice = await Assert.ThrowsAsync<DomainValidationException>(() => w.Concerns.AcknowledgeAsync(w.Actors[EducationLead], id));
        Assert.Contains("acknowledged already", twice.Message);
        var stored = await w.S.Db.Get<IConcernRepository>().GetByIdAsync(id);
        Assert.Equal((ConcernStates.Acknowledged, "police.manager"), (stored!.State, stored.AcknowledgedByName));
    }

    [Fact]
    public async Task ALeadFlag_IsForManagersAndAuditorsOnly_AndCountsOnlyWhileTheAccountIsEnabled()
    {
        var w = await WorldAsync();
        using var _ = w.S;
        var admin = w.S.Db.Get<UserAdminService>();
        var refused = await Assert.ThrowsAsync<DomainValidationException>(() => admin.SetSafeguardingLeadAsync(w.S.Administrator, w.S.Executive.UserId, true));
        Assert.Contains("manager or an agency auditor", refused.Message);
        var views = await admin.GetAllAsync(w.S.Administrator);
        Assert.True(views.Single(u => u.UserName == "police.manager").SafeguardingLead);
        Assert.False(views.Single(u => u.UserName == "executive").SafeguardingLead);

        var id = await ConcernInAsync(w, ConcernStates.Raised);
        await admin.SetSafeguardingLeadAsync(w.S.Administrator, w.S.PoliceManager.UserId, false);
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Concerns.AcknowledgeAsync(w.S.PoliceManager, id));
        Assert.True((await w.S.Db.Get<IUserRepository>().GetByIdAsync(w.Actors[EducationLead].UserId))!.IsSafeguardingLead);
    }
}

public sealed class ConcernAccessTestsOnSqlite(ITestOutputHelper output) : ConcernAccessTests(output, DatabaseEngine.Sqlite);

public sealed class ConcernAccessTestsOnPostgres(ITestOutputHelper output) : ConcernAccessTests(output, DatabaseEngine.Postgres);
