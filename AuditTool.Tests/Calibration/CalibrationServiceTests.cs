using AuditTool.Data;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Calibration;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;
using AuditTool.Tests.Domain;
using AuditTool.Tests.Support;
using static AuditTool.Tests.Domain.TemplateBuilder;

namespace AuditTool.Tests.Calibration;

/// <summary>
/// Calibration exercises on a real database: a scrutineer plans one (five graded questions on the yes/partly/no scale,
/// plus a text question), the police and education auditors grade it blind, a third auditor does not take part; wrong
/// roles are refused; the closed result's alpha is the tool's Krippendorff implementation's, and a hand-computed value.
/// </summary>
public abstract class CalibrationServiceTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    private static readonly TemplateDefinition Five = new TemplateBuilder()
        .Section("practice", null, Q("q1"), Q("q2"), Q("q3"), Q("q4"), Q("q5"),
            new QuestionDefinition("notes", "Notes", "", QuestionType.Text, null, [], false, 1, [], null))
        .Build("calibration-five");

    private sealed record World(AuditScenario S, CalibrationService Calibration, long VersionId, long TemplateId, Actor Outsider);

    private async Task<World> WorldAsync()
    {
        var s = await ScenarioAsync(cases: 1);
        var templates = s.Db.Get<ITemplateRepository>();
        var versionId = await templates.CreateVersionAsync(Five, TemplateStatus.Published, DateTimeOffset.UtcNow);
        var outsider = await s.Db.CreateUserAsync("other.auditor", Role.Auditor, s.PoliceId);
        return new World(s, s.Db.Get<CalibrationService>(), versionId, (await templates.GetVersionInfoAsync(versionId))!.TemplateId, outsider);
    }

    private static Task<long> PlanAsync(World w, string title = "Calibration one") => w.Calibration.PlanAsync(w.S.Scrutineer,
        new CalibrationPlan(title, w.VersionId, "A 12-year-old missed school for three weeks; the referral was not followed up.",
            [w.S.PoliceAuditor.UserId, w.S.EducationAuditor.UserId]));

    private static async Task GradeAsync(World w, long id, Actor auditor, params string[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            await w.Calibration.SaveGradeAsync(auditor, id, $"q{i + 1}", values[i]);
        }

        await w.Calibration.SubmitAsync(auditor, id);
    }

    [Fact]
    public async Task Plan_RefusesIdentifyingSummaryUnlessConfirmed_AndLogsItAsCaseContent()
    {
        var w = await WorldAsync();
        using var _ = w.S;
        var plan = new CalibrationPlan("Named", w.VersionId, "Seen by Mr Smith at home, born on 12/03/2015.",
            [w.S.PoliceAuditor.UserId, w.S.EducationAuditor.UserId]);
        var refused = await Assert.ThrowsAsync<DomainValidationException>(() => w.Calibration.PlanAsync(w.S.Scrutineer, plan));
        Assert.Contains(refused.Problems, p => p.Contains("Mr Smith", StringComparison.Ordinal));
        Assert.Empty(await w.Calibration.ListAsync(w.S.Scrutineer));

        var id = await w.Calibration.PlanAsync(w.S.Scrutineer, plan, confirmIdentifying: true);
        Assert.Equal("Named", (await w.Calibration.GetAsync(w.S.Scrutineer, id)).Exercise.Title);
        var line = (await w.S.Db.Get<IAuditLog>().GetLatestAsync(20)).First(l => l.Entity == "calibration" && l.Action == "plan");
        Assert.True(line.CaseContent);
        var adminView = (await w.S.Db.Get<AuditLogService>().SearchAsync(w.S.Administrator, new AuditLogQuery(null, "calibration", null, null, 0, 10)))
            .Entries.Single(l => l.Action == "plan");
        Assert.Null(adminView.NewValues);

        await Assert.ThrowsAsync<DomainValidationException>(() => w.Calibration.PlanAsync(w.S.Scrutineer,
            new CalibrationPlan("One auditor", w.VersionId, "Summary", [w.S.PoliceAuditor.UserId])));
        await Assert.ThrowsAsync<DomainValidationException>(() => w.Calibration.PlanAsync(w.S.Scrutineer,
            new CalibrationPlan("A manager", w.VersionId, "Summary", [w.S.PoliceAuditor.UserId, w.S.PoliceManager.UserId])));
    }

    [Fact]
    public async Task Auditors_GradeBlind_OthersGradesAndTheReferenceRefusedBeforeClose()
    {
        var w = await WorldAsync();
        using var _ = w.S;
        var id = await PlanAsync(w);
        await w.Calibration.SetReferenceAsync(w.S.Scrutineer, id, "q1", "yes");
        await GradeAsync(w, id, w.S.PoliceAuditor, "yes", "yes", "no", "no", "yes");
        await w.Calibration.SaveGradeAsync(w.S.EducationAuditor, id, "q1", "no");

        var police = await w.Calibration.GetAsync(w.S.PoliceAuditor, id);
        Assert.True(police.Submitted);
        Assert.False(police.CanGrade);
        Assert.All(police.Exercise.Grades, g => Assert.Equal(w.S.PoliceAuditor.UserId, g.UserId));
        Assert.Empty(police.Exercise.References);
        Assert.Empty(police.References);
        var education = await w.Calibration.GetAsync(w.S.EducationAuditor, id);
        Assert.Equal("no", Assert.Single(education.Exercise.Grades).Value);
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Calibration.GetResultAsync(w.S.PoliceAuditor, id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Calibration.GetResultAsync(w.S.EducationAuditor, id));
        await Assert.ThrowsAsync<DomainValidationException>(() => w.Calibration.SaveGradeAsync(w.S.PoliceAuditor, id, "q1", "no"));
        await Assert.ThrowsAsync<DomainValidationException>(() => w.Calibration.SaveGradeAsync(w.S.EducationAuditor, id, "notes", "yes"));
        await Assert.ThrowsAsync<DomainValidationException>(() => w.Calibration.SubmitAsync(w.S.EducationAuditor, id));
        // The scrutineer sees every grade at any time.
        Assert.Equal(6, (await w.Calibration.GetAsync(w.S.Scrutineer, id)).Exercise.Grades.Count);
        Assert.Equal(2, (await w.Calibration.ListAsync(w.S.PoliceAuditor)).Single().Participants);
    }

    [Fact]
    public async Task WrongRoles_AreRefused()
    {
        var w = await WorldAsync();
        using var _ = w.S;
        var id = await PlanAsync(w);
        foreach (var actor in new[] { w.S.Administrator, w.S.Executive, w.S.PoliceManager, w.Outsider })
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => w.Calibration.GetAsync(actor, id));
            await Assert.ThrowsAsync<AccessDeniedException>(() => w.Calibration.GetResultAsync(actor, id));
            await Assert.ThrowsAsync<AccessDeniedException>(() => w.Calibration.SaveGradeAsync(actor, id, "q1", "yes"));
            await Assert.ThrowsAsync<AccessDeniedException>(() => w.Calibration.CloseAsync(actor, id));
            await Assert.ThrowsAsync<AccessDeniedException>(() => w.Calibration.SetReferenceAsync(actor, id, "q1", "yes"));
            await Assert.ThrowsAsync<AccessDeniedException>(() => w.Calibration.PlanAsync(actor,
                new CalibrationPlan("x", w.VersionId, "y", [w.S.PoliceAuditor.UserId, w.S.EducationAuditor.UserId])));
        }

        Assert.Empty(await w.Calibration.ListAsync(w.Outsider));
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Calibration.ListAsync(w.S.Executive));
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Calibration.ListAsync(w.S.Administrator));
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Calibration.CloseAsync(w.S.PoliceAuditor, id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Calibration.SetReferenceAsync(w.S.PoliceAuditor, id, "q1", "yes"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Calibration.SaveGradeAsync(w.S.Scrutineer, id, "q1", "yes"));
        Assert.True((await w.Calibration.GetAsync(w.S.Scrutineer, id)).Exercise.IsOpen);
    }

    [Fact]
    public async Task Close_ResultAlpha_IsTheKrippendorffImplementationsAndTheHandComputedValue()
    {
        var w = await WorldAsync();
        using var _ = w.S;
        var id = await PlanAsync(w);
        await GradeAsync(w, id, w.S.PoliceAuditor, "yes", "yes", "no", "no", "yes");
        await GradeAsync(w, id, w.S.EducationAuditor, "yes", "yes", "no", "yes", "yes");
        foreach (var q in new[] { "q1", "q2", "q3", "q4", "q5" })
        {
            await w.Calibration.SetReferenceAsync(w.S.Scrutineer, id, q, q == "q4" ? "partly" : "yes");
        }

        await w.Calibration.CloseAsync(w.S.Scrutineer, id);
        await Assert.ThrowsAsync<DomainValidationException>(() => w.Calibration.CloseAsync(w.S.Scrutineer, id));
        var result = await w.Calibration.GetResultAsync(w.S.PoliceAuditor, id);
        Assert.Equal(2, result.Raters.Count);

        // Units: the five questions; raters: the two auditors; yes = 2, no = 0 (Reliability.Alpha is the tool's one implementation).
        double?[][] matrix = [[2, 2], [2, 2], [0, 0], [0, 2], [2, 2]];
        var expected = Reliability.Alpha(matrix, AlphaMetric.Ordinal);
        Assert.Equal(ReliabilityState.Figure, result.OverallAlpha.State);
        Assert.Equal(5, result.OverallAlpha.Units);
        Assert.Equal(expected!.Value, result.OverallAlpha.Value!.Value, 12);
        // By hand: n = 10 values, 7 yes and 3 no; one disagreeing pair (o_yes,no = o_no,yes = 1); with two categories the
        // ordinal distance is one constant, so alpha = 1 - (n - 1) * 2 / (2 * 7 * 3) = 1 - 18/42 = 4/7.
        Assert.Equal(4.0 / 7.0, result.OverallAlpha.Value!.Value, 12);

        // Per question: the exercise's one case is one unit, too few for a figure.
        Assert.All(result.Questions, q => Assert.Equal(ReliabilityState.TooFew, q.Alpha.State));
        var q4 = result.Questions.Single(q => q.Question.Key == "q4");
        Assert.Equal("Partly", q4.ReferenceLabel);
        Assert.Equal([CalibrationAgreement.Lower, CalibrationAgreement.Higher],
            q4.Cells.OrderBy(c => c.Value).Select(c => c.Agreement).ToArray());
        Assert.Equal(0, q4.Agreeing);
        Assert.Equal(2, result.Questions.Single(q => q.Question.Key == "q1").Agreeing);
        Assert.DoesNotContain(result.Questions, q => q.Question.Key == "notes");

        // After close, an auditor sees the others' grades and the reference.
        var view = await w.Calibration.GetAsync(w.S.PoliceAuditor, id);
        Assert.Equal(10, view.Exercise.Grades.Count);
        Assert.Equal("partly", view.References["q4"]);
        await Assert.ThrowsAsync<DomainValidationException>(() => w.Calibration.SaveGradeAsync(w.S.EducationAuditor, id, "q1", "no"));
    }

    [Fact]
    public async Task TwoExercises_GiveTheAlphaOverTime()
    {
        var w = await WorldAsync();
        using var _ = w.S;
        var first = await PlanAsync(w, "Spring");
        await GradeAsync(w, first, w.S.PoliceAuditor, "yes", "yes", "no", "no", "yes");
        await GradeAsync(w, first, w.S.EducationAuditor, "yes", "yes", "no", "yes", "yes");
        await w.Calibration.CloseAsync(w.S.Scrutineer, first);
        var second = await PlanAsync(w, "Autumn");
        await GradeAsync(w, second, w.S.PoliceAuditor, "yes", "partly", "no", "no", "yes");
        await GradeAsync(w, second, w.S.EducationAuditor, "yes", "partly", "no", "no", "yes");
        var open = await PlanAsync(w, "Still open");

        Assert.Single(await w.Calibration.GetHistoryAsync(w.S.Scrutineer, w.TemplateId));
        await w.Calibration.CloseAsync(w.S.Scrutineer, second);
        var history = await w.Calibration.GetHistoryAsync(w.S.Scrutineer, w.TemplateId);
        Assert.Equal(["Spring", "Autumn"], history.Select(h => h.Title).ToArray());
        Assert.Equal(4.0 / 7.0, history[0].Alpha.Value!.Value, 12);
        Assert.Equal(1.0, history[1].Alpha.Value!.Value, 12);
        Assert.DoesNotContain(history, h => h.ExerciseId == open);
        await Assert.ThrowsAsync<AccessDeniedException>(() => w.Calibration.GetHistoryAsync(w.S.PoliceAuditor, w.TemplateId));
    }
}

public sealed class CalibrationServiceTestsOnSqlite() : CalibrationServiceTests(DatabaseEngine.Sqlite);

public sealed class CalibrationServiceTestsOnPostgres() : CalibrationServiceTests(DatabaseEngine.Postgres);
