using AuditTool.Data;
using System.Text.Json;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;
using AuditTool.Tests.Support;
using static AuditTool.Tests.Domain.TemplateBuilder;

namespace AuditTool.Tests.Data;

public abstract class FindingsServiceTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    /// <summary>Five cases; on each, police answers and submits (seen alone yes on all but C-005, overall good), education
    /// submits overall requires-improvement. The audit is then moved to moderation.</summary>
    private async Task<AuditScenario> InModerationAsync()
    {
        var s = await ScenarioAsync(cases: 5);
        for (var i = 1; i <= 5; i++)
        {
            var police = await s.ReturnIdAsync($"C-{i:000}", s.PoliceId);
            await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "seen-alone", i == 5 ? "no" : "yes");
            if (i != 5)
            {
                await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "voice", "yes");
            }

            await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "overall", "good");
            await s.Returns.SaveEvidenceAsync(s.PoliceAuditor, police, "overall", $"Evidence note for C-{i:000}");
            Assert.True((await s.Returns.SubmitAsync(s.PoliceAuditor, police)).Submitted);
            var education = await s.ReturnIdAsync($"C-{i:000}", s.EducationId);
            await s.Returns.SaveAnswerAsync(s.EducationAuditor, education, "seen-alone", "no");
            await s.Returns.SaveAnswerAsync(s.EducationAuditor, education, "attendance", "no");
            await s.Returns.SaveAnswerAsync(s.EducationAuditor, education, "overall", "requires-improvement");
            Assert.True((await s.Returns.SubmitAsync(s.EducationAuditor, education)).Submitted);
        }

        await s.Planning.MoveToModerationAsync(s.Scrutineer, s.AuditId);
        return s;
    }

    private static async Task<long> CaseIdAsync(AuditScenario s, string caseRef) =>
        (await s.Db.Get<IAuditRepository>().GetCasesAsync(s.AuditId)).Single(c => c.Ref == caseRef).Id;

    [Fact]
    public async Task Moderation_DifferingFromAnAgency_NeedsARationale_AndFeedsAgreement()
    {
        using var s = await InModerationAsync();
        var moderation = s.Db.Get<ModerationService>();
        var c1 = await CaseIdAsync(s, "C-001");

        var ex = await Assert.ThrowsAsync<DomainValidationException>(() => moderation.SaveAsync(s.Scrutineer, s.AuditId, c1, "overall", "good", ""));
        await moderation.SaveAsync(s.Scrutineer, s.AuditId, c1, "overall", "good", "Police evidence of direct work outweighs the school's view.");
        var figures = (await s.Db.Get<FiguresService>().GetAsync(s.Scrutineer, s.AuditId)).Figures;

        Assert.Contains("Schools", ex.Message);
        // Police "good" = moderated "good" (agree, 0); education "requires improvement" (2) vs "good" (3): disagree, -1.
        Assert.Equal(2, figures.Agreement.Overall.Pairs);
        Assert.Equal(0.5, figures.Agreement.Overall.Agreement!.Value, 6);
        Assert.Equal(-0.5, figures.Agreement.Overall.MeanSignedDifference!.Value, 6);
        Assert.Equal(1.0, figures.Agreement.ByAgency[s.PoliceId].Agreement!.Value, 6);
        Assert.Equal(-1.0, figures.Agreement.ByAgency[s.EducationId].MeanSignedDifference!.Value, 6);
    }

    [Fact]
    public async Task Figures_ReadInParts_OnSeveralConnections_EqualFiguresReadInOne()
    {
        using var s = await InModerationAsync();
        await s.Db.Get<ModerationService>().SaveAsync(s.Scrutineer, s.AuditId, await CaseIdAsync(s, "C-003"), "overall", "good", "Agreed at panel.");
        var audits = s.Db.Get<IAuditRepository>();
        var templates = s.Db.Get<ITemplateRepository>();
        var whole = s.Db.Get<AuditTool.Domain.Aggregation.IFiguresSource>();
        // A large audit's reading, on this small one: three parts of three or four returns (a case's two returns may be split).
        var split = new FiguresSource(s.Db.Factory, audits, templates) { PartMinimumReturns = 1, PartCount = 3 };

        var one = (await whole.LoadAsync(s.AuditId))!;
        var three = (await split.LoadAsync(s.AuditId))!;
        var expected = AuditTool.Domain.Aggregation.AuditAggregator.Aggregate(one.Template, one.Parts, one.Moderation, new());
        var actual = AuditTool.Domain.Aggregation.AuditAggregator.Aggregate(three.Template, three.Parts, three.Moderation, new());

        Assert.Single(one.Parts);
        Assert.Equal(3, three.Parts.Count);
        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));
        Assert.Equal(10, actual.SubmittedReturns);
        Assert.Equal(["C-001", "C-002", "C-003", "C-004", "C-005"], actual.Cases.Select(c => c.CaseRef));
        Assert.Equal(2, actual.Agreement.Overall.Pairs);
    }

    [Fact]
    public async Task Moderation_ByAnotherRole_OrOutsideModeration_IsRefused()
    {
        using var s = await ScenarioAsync(cases: 1);
        var moderation = s.Db.Get<ModerationService>();
        var c1 = await CaseIdAsync(s, "C-001");

        await Assert.ThrowsAsync<AccessDeniedException>(() => moderation.SaveAsync(s.PoliceAuditor, s.AuditId, c1, "overall", "good", "x"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => moderation.GetCaseAsync(s.Executive, s.AuditId, c1));
        var early = await Assert.ThrowsAsync<DomainValidationException>(() => moderation.SaveAsync(s.Scrutineer, s.AuditId, c1, "overall", "good", "x"));

        Assert.Contains("while the audit is in moderation", early.Message);
    }

    [Fact]
    public async Task Proposals_FollowTheThresholds_AndFindingsAreFrozenAtPublish()
    {
        using var s = await InModerationAsync();
        var findings = s.Db.Get<FindingsService>();
        var view = await s.Db.Get<FiguresService>().GetAsync(s.Scrutineer, s.AuditId);

        // voice: police yes x4 = 100% of 4 answers < minimum 5: too few. attendance: education no x5 = 0%: development.
        var attendance = Assert.Single(view.Proposals, p => p.QuestionKey == "attendance");
        Assert.Equal(FindingKinds.Development, attendance.Kind);
        Assert.DoesNotContain(view.Proposals, p => p.QuestionKey == "voice");
        var id = await findings.KeepProposalAsync(s.Scrutineer, s.AuditId, attendance);
        await findings.UpdateFindingAsync(s.Scrutineer, s.AuditId, id, new FindingInput(FindingKinds.Development,
            "Low attendance not treated as a safeguarding concern", "Schools did not link absence to risk.", ["attendance"], ["education"]));
        await findings.AddActionAsync(s.Scrutineer, s.AuditId, new ActionInput("Refresh attendance and safeguarding guidance", s.EducationId,
            new DateOnly(2027, 3, 31), ActionStatuses.Open, id), confirmPastDate: true); // a fixed date the calendar overtakes
        await findings.PublishAsync(s.Scrutineer, s.AuditId);

        var frozen = await Assert.ThrowsAsync<DomainValidationException>(() => findings.UpdateFindingAsync(s.Scrutineer, s.AuditId, id,
            new FindingInput(FindingKinds.Strength, "Changed", "", [], [])));
        Assert.Contains("frozen", frozen.Message);
        var stored = Assert.Single(await findings.GetFindingsAsync(s.Executive, s.AuditId));
        Assert.Equal("Low attendance not treated as a safeguarding concern", stored.Title);
    }

    [Fact]
    public async Task Publish_WithoutFindings_IsRefused()
    {
        using var s = await InModerationAsync();

        var ex = await Assert.ThrowsAsync<DomainValidationException>(() => s.Db.Get<FindingsService>().PublishAsync(s.Scrutineer, s.AuditId));

        Assert.Contains("at least one finding", ex.Message);
    }

    [Fact]
    public async Task Executive_AndManager_SeeNothingBeforePublication()
    {
        using var s = await InModerationAsync();

        await Assert.ThrowsAsync<AccessDeniedException>(() => s.Db.Get<ReportService>().GetAsync(s.Executive, s.AuditId));
        await Assert.ThrowsAsync<AccessDeniedException>(() => s.Db.Get<FiguresService>().GetAsync(s.PoliceManager, s.AuditId));
        await Assert.ThrowsAsync<AccessDeniedException>(() => s.Db.Get<FindingsService>().GetFindingsAsync(s.Executive, s.AuditId));
        await Assert.ThrowsAsync<AccessDeniedException>(() => s.Db.Get<ReportService>().GetAsync(s.PoliceAuditor, s.AuditId));
        Assert.Empty(await s.Db.Get<ReportService>().ListAsync(s.Executive));
    }

    [Fact]
    public async Task PublishedReport_CarriesNoCaseReferenceAnswerOrEvidence()
    {
        using var s = await InModerationAsync();
        var findings = s.Db.Get<FindingsService>();
        var view = await s.Db.Get<FiguresService>().GetAsync(s.Scrutineer, s.AuditId);
        await findings.KeepProposalAsync(s.Scrutineer, s.AuditId, view.Proposals[0]);
        await findings.PublishAsync(s.Scrutineer, s.AuditId);

        var report = await s.Db.Get<ReportService>().GetAsync(s.Executive, s.AuditId);
        var json = JsonSerializer.Serialize(report);

        Assert.Equal(5, report.Cases);
        Assert.Equal(10, report.SubmittedReturns);
        Assert.DoesNotContain("C-00", json);
        Assert.DoesNotContain("Evidence note", json);
        Assert.NotEmpty(report.Questions);
        Assert.Equal(2, report.Agencies.Count);
    }

    [Fact]
    public async Task Manager_UpdatesOnlyTheirAgencysActions_OnPublishedReports()
    {
        using var s = await InModerationAsync();
        var findings = s.Db.Get<FindingsService>();
        var view = await s.Db.Get<FiguresService>().GetAsync(s.Scrutineer, s.AuditId);
        await findings.KeepProposalAsync(s.Scrutineer, s.AuditId, view.Proposals[0]);
        var police = await findings.AddActionAsync(s.Scrutineer, s.AuditId, new ActionInput("Police action", s.PoliceId, new DateOnly(2020, 1, 1), ActionStatuses.Open, null), confirmPastDate: true);
        var education = await findings.AddActionAsync(s.Scrutineer, s.AuditId, new ActionInput("School action", s.EducationId, null, ActionStatuses.Open, null));

        await Assert.ThrowsAsync<AccessDeniedException>(() => findings.SetActionStatusAsync(s.PoliceManager, police, ActionStatuses.InProgress));
        await findings.PublishAsync(s.Scrutineer, s.AuditId);
        await findings.SetActionStatusAsync(s.PoliceManager, police, ActionStatuses.InProgress);
        await Assert.ThrowsAsync<AccessDeniedException>(() => findings.SetActionStatusAsync(s.PoliceManager, education, ActionStatuses.Done));
        var mine = await findings.GetAgencyActionsAsync(s.PoliceManager);

        var only = Assert.Single(mine);
        Assert.Equal(ActionStatuses.InProgress, only.Action.Status);
        Assert.True(only.IsOverdue);
        Assert.Equal(ActionStatuses.Open, (await findings.GetActionsAsync(s.Scrutineer, s.AuditId)).Single(a => a.Id == education).Status);
    }

    [Fact]
    public async Task FollowUp_ComparesCommonKeysWithTheBaseline_AndListsItsOpenActions()
    {
        using var s = await InModerationAsync();
        var findings = s.Db.Get<FindingsService>();
        await findings.AddActionAsync(s.Scrutineer, s.AuditId, new ActionInput("Still open from the baseline", s.PoliceId, null, ActionStatuses.Open, null));
        await findings.AddActionAsync(s.Scrutineer, s.AuditId, new ActionInput("Done already", s.PoliceId, null, ActionStatuses.Done, null));
        // Version 2: "attendance" removed, "contingency" added; "seen-alone" and "overall" kept.
        var v2 = AuditScenario.Template with
        {
            Version = 2,
            Sections =
            [
                new SectionDefinition("child", "Child", "", [], [Q("seen-alone"), Q("contingency")]),
                new SectionDefinition("overall-section", "Overall", "", [], [Q("overall", scale: "ofsted4")]),
            ],
        };
        var v2Id = await s.Db.Get<ITemplateRepository>().CreateVersionAsync(v2, TemplateStatus.Published, DateTimeOffset.UtcNow);
        var followUp = await s.Planning.CreateAsync(s.Scrutineer,
            new AuditPlan("Six-month follow-up", AuditKinds.FollowUp, "", "", DateOnly.FromDateTime(DateTime.UtcNow).AddDays(28), Thresholds.Default, s.AuditId),
            v2Id, [s.PoliceId]);
        await s.Planning.AddCaseAsync(s.Scrutineer, followUp, "F-001");
        await s.Planning.OpenAsync(s.Scrutineer, followUp);
        var ret = (await s.Db.Get<IAuditRepository>().GetReturnsAsync(followUp)).Single().Id;
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, ret, "seen-alone", "yes");
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, ret, "contingency", "yes");
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, ret, "overall", "good");
        await s.Returns.SubmitAsync(s.PoliceAuditor, ret);

        var view = await s.Db.Get<FiguresService>().GetAsync(s.Scrutineer, followUp);

        Assert.Equal("Escalation audit", view.BaselineTitle);
        Assert.Equal(["seen-alone", "overall"], view.Baseline!.Questions.Select(c => c.Key));
        var seen = view.Baseline.Questions[0];
        // Baseline: police yes x4, no x1; education no x5 => 4/10 = 0.4. Now: 1/1 = 1.0. Change +60 points.
        Assert.Equal(0.4, seen.BaselineRate!.Value, 6);
        Assert.Equal(1.0, seen.NowRate!.Value, 6);
        Assert.Equal(60, seen.ChangePoints!.Value, 6);
        Assert.Equal("Still open from the baseline", Assert.Single(view.BaselineOpenActions).Description);
    }
}

public sealed class FindingsServiceTestsOnSqlite() : FindingsServiceTests(DatabaseEngine.Sqlite);

public sealed class FindingsServiceTestsOnPostgres() : FindingsServiceTests(DatabaseEngine.Postgres);
