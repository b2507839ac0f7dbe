using AuditTool.Data;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Security;
using AuditTool.Tests.Support;
using AuditTool.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Tests.Data;

/// <summary>
/// An audit opens only with a deadline; a deadline or an action's due date before today (UTC) is refused until the
/// caller confirms it. The services run on the scenario's database with a clock of the test's own.
/// </summary>
public abstract class DeadlineRulesTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    /// <summary>2 December 2026, late in the UTC day: "today" is the UTC date.</summary>
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 23, 30, 0, TimeSpan.Zero);

    private static readonly DateOnly Today = new(2026, 12, 2);

    private static ServiceProvider At(AuditScenario s, DateTimeOffset now) => AuditToolServices.For(
        DatabaseTarget.Parse(s.Db.Location, s.Db.Folder), overrides: services => services.AddSingleton<TimeProvider>(new TestClock(now)));

    private static AuditPlan Plan(DateOnly? deadline) =>
        new("Neglect deep dive", AuditKinds.DeepDive, "Purpose", "Children on a plan for neglect", deadline, Thresholds.Default);

    [Fact]
    public async Task OpeningWithoutADeadline_IsRefused_AndTheAuditStaysInPlanning()
    {
        using var s = await ScenarioAsync(cases: 0, open: false);
        using var services = At(s, Now);
        var planning = services.GetRequiredService<AuditPlanningService>();
        var id = await planning.CreateAsync(s.Scrutineer, Plan(null), s.TemplateVersionId, [s.PoliceId]);
        await planning.AddCaseAsync(s.Scrutineer, id, "N-001");

        var ex = await Assert.ThrowsAsync<DomainValidationException>(() => planning.OpenAsync(s.Scrutineer, id, confirmPastDate: true));

        Assert.Equal(["Set a deadline before opening the audit: auditors are told it when the audit opens."], ex.Problems);
        Assert.Null(ex.ConfirmationQuestion);
        Assert.Equal(AuditStatuses.Planning, (await planning.GetAsync(s.Scrutineer, id)).Audit.Status);
    }

    [Fact]
    public async Task PlanningWithAPastDeadline_IsRefusedUntilConfirmed_AndTodayIsNotThePast()
    {
        using var s = await ScenarioAsync(cases: 0, open: false);
        using var services = At(s, Now);
        var planning = services.GetRequiredService<AuditPlanningService>();
        var before = (await planning.ListAsync(s.Scrutineer)).Count;

        var refused = await Assert.ThrowsAsync<DomainValidationException>(() =>
            planning.CreateAsync(s.Scrutineer, Plan(new DateOnly(2024, 12, 2)), s.TemplateVersionId, [s.PoliceId]));
        var afterRefusal = (await planning.ListAsync(s.Scrutineer)).Count;
        var confirmed = await planning.CreateAsync(s.Scrutineer, Plan(new DateOnly(2024, 12, 2)), s.TemplateVersionId, [s.PoliceId], confirmPastDate: true);
        var today = await planning.CreateAsync(s.Scrutineer, Plan(Today), s.TemplateVersionId, [s.PoliceId]);

        Assert.Equal("The deadline 2 December 2024 is in the past. Confirm the date to use it anyway.", refused.Message);
        Assert.Equal("The deadline 2 December 2024 is in the past. Use it anyway?", refused.ConfirmationQuestion);
        Assert.Equal(before, afterRefusal);
        Assert.Equal(new DateOnly(2024, 12, 2), (await planning.GetAsync(s.Scrutineer, confirmed)).Audit.Deadline);
        Assert.Equal(Today, (await planning.GetAsync(s.Scrutineer, today)).Audit.Deadline);
    }

    [Fact]
    public async Task ChangingThePlanToAPastDeadline_IsRefusedUntilConfirmed_AndAnUnchangedOneIsNotAskedAgain()
    {
        using var s = await ScenarioAsync(cases: 1, open: false);
        using var services = At(s, new DateTimeOffset(2027, 1, 10, 9, 0, 0, TimeSpan.Zero)); // the scenario's 18 December 2026 has passed
        var planning = services.GetRequiredService<AuditPlanningService>();
        var plan = (await planning.GetAsync(s.Scrutineer, s.AuditId)).Audit;
        var reworded = new AuditPlan(plan.Title, plan.Kind, "A new purpose", plan.SampleCriteriaText, plan.Deadline, plan.Thresholds);

        await planning.UpdatePlanAsync(s.Scrutineer, s.AuditId, reworded);
        var refused = await Assert.ThrowsAsync<DomainValidationException>(() =>
            planning.UpdatePlanAsync(s.Scrutineer, s.AuditId, reworded with { Purpose = "Not saved", Deadline = new DateOnly(2027, 1, 9) }));
        var afterRefusal = (await planning.GetAsync(s.Scrutineer, s.AuditId)).Audit;
        await planning.UpdatePlanAsync(s.Scrutineer, s.AuditId, reworded with { Deadline = new DateOnly(2027, 1, 9) }, confirmPastDate: true);

        Assert.Equal("The deadline 9 January 2027 is in the past. Use it anyway?", refused.ConfirmationQuestion);
        Assert.Equal(("A new purpose", AuditScenario.Deadline), (afterRefusal.Purpose, afterRefusal.Deadline!.Value));
        Assert.Equal(new DateOnly(2027, 1, 9), (await planning.GetAsync(s.Scrutineer, s.AuditId)).Audit.Deadline);
    }

    [Fact]
    public async Task OpeningWithADeadlineThatHasPassed_IsRefusedUntilConfirmed()
    {
        using var s = await ScenarioAsync(cases: 1, open: false);
        using var services = At(s, new DateTimeOffset(2026, 12, 19, 0, 5, 0, TimeSpan.Zero)); // the day after the scenario's deadline
        var planning = services.GetRequiredService<AuditPlanningService>();

        var refused = await Assert.ThrowsAsync<DomainValidationException>(() => planning.OpenAsync(s.Scrutineer, s.AuditId));
        var afterRefusal = (await planning.GetAsync(s.Scrutineer, s.AuditId)).Audit.Status;
        await planning.OpenAsync(s.Scrutineer, s.AuditId, confirmPastDate: true);

        Assert.Equal("The deadline 18 December 2026 is in the past. Use it anyway?", refused.ConfirmationQuestion);
        Assert.Equal(AuditStatuses.Planning, afterRefusal);
        Assert.Equal(AuditStatuses.Open, (await planning.GetAsync(s.Scrutineer, s.AuditId)).Audit.Status);
    }

    [Fact]
    public async Task AnOpenAudit_KeepsADeadline()
    {
        using var s = await ScenarioAsync(cases: 1);
        using var services = At(s, Now);
        var planning = services.GetRequiredService<AuditPlanningService>();
        var audit = (await planning.GetAsync(s.Scrutineer, s.AuditId)).Audit;

        var ex = await Assert.ThrowsAsync<DomainValidationException>(() => planning.UpdatePlanAsync(s.Scrutineer, s.AuditId,
            new AuditPlan(audit.Title, audit.Kind, audit.Purpose, audit.SampleCriteriaText, null, audit.Thresholds), confirmPastDate: true));

        Assert.Contains("An open audit keeps a deadline", ex.Message);
        Assert.Equal(AuditScenario.Deadline, (await planning.GetAsync(s.Scrutineer, s.AuditId)).Audit.Deadline);
    }

    [Fact]
    public async Task ActionDueInThePast_IsRefusedUntilConfirmed_WhenAddedOrChanged()
    {
        using var s = await ScenarioAsync(cases: 1);
        using var services = At(s, Now);
        var findings = services.GetRequiredService<FindingsService>();
        var yesterday = Today.AddDays(-1);
        ActionInput Action(DateOnly? due, string status = ActionStatuses.Open) => new("Review the escalation log", s.PoliceId, due, status, null);

        var added = await Assert.ThrowsAsync<DomainValidationException>(() => findings.AddActionAsync(s.Scrutineer, s.AuditId, Action(yesterday)));
        var afterRefusal = await findings.GetActionsAsync(s.Scrutineer, s.AuditId);
        var id = await findings.AddActionAsync(s.Scrutineer, s.AuditId, Action(yesterday), confirmPastDate: true);
        await findings.UpdateActionAsync(s.Scrutineer, s.AuditId, id, Action(yesterday, ActionStatuses.InProgress)); // due date as it was
        var changed = await Assert.ThrowsAsync<DomainValidationException>(() =>
            findings.UpdateActionAsync(s.Scrutineer, s.AuditId, id, Action(new DateOnly(2026, 6, 30), ActionStatuses.Done)));
        var afterChangeRefused = Assert.Single(await findings.GetActionsAsync(s.Scrutineer, s.AuditId));
        await findings.UpdateActionAsync(s.Scrutineer, s.AuditId, id, Action(new DateOnly(2026, 6, 30), ActionStatuses.Done), confirmPastDate: true);
        await findings.AddActionAsync(s.Scrutineer, s.AuditId, Action(Today));

        Assert.Equal("The due date 1 December 2026 is in the past. Use it anyway?", added.ConfirmationQuestion);
        Assert.Empty(afterRefusal);
        Assert.Equal("The due date 30 June 2026 is in the past. Use it anyway?", changed.ConfirmationQuestion);
        Assert.Equal((yesterday, ActionStatuses.InProgress), (afterChangeRefused.DueDate!.Value, afterChangeRefused.Status));
        var stored = await findings.GetActionsAsync(s.Scrutineer, s.AuditId);
        Assert.Equal([new DateOnly(2026, 6, 30), Today], stored.OrderBy(a => a.Id).Select(a => a.DueDate!.Value));
    }
}

public sealed class DeadlineRulesTestsOnSqlite() : DeadlineRulesTests(DatabaseEngine.Sqlite);

public sealed class DeadlineRulesTestsOnPostgres() : DeadlineRulesTests(DatabaseEngine.Postgres);
