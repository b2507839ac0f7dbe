using AuditTool.Data;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;
using AuditTool.Tests.Support;

namespace AuditTool.Tests.Data;

public abstract class ReturnServiceTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    [Fact]
    public async Task Auditor_SavesAnswersAndEvidence_AndReadsThemBack()
    {
        using var s = await ScenarioAsync();
        var id = await s.ReturnIdAsync("C-001", s.PoliceId);

        var first = await s.Returns.SaveAnswerAsync(s.PoliceAuditor, id, "seen-alone", "yes");
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, id, "days", "4.50");
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, id, "partners", new List<string> { "police", "school" });
        await s.Returns.SaveEvidenceAsync(s.PoliceAuditor, id, "seen-alone", "Seen at school on 3 March.");
        var view = await s.Returns.GetAsync(s.PoliceAuditor, id);

        Assert.Equal(ReturnStatuses.InProgress, first.ReturnStatus);
        Assert.Equal("yes", view.Answers["seen-alone"].Value);
        Assert.Equal("Seen at school on 3 March.", view.Answers["seen-alone"].Evidence);
        Assert.Equal("4.5", view.Answers["days"].Value);
        Assert.Equal(new List<string> { "police", "school" }, view.Answers["partners"].Value);
        Assert.True(view.Editable);
    }

    [Fact]
    public async Task SavingTheSameAnswerAgain_ReplacesIt_NeverDuplicates()
    {
        using var s = await ScenarioAsync();
        var id = await s.ReturnIdAsync("C-001", s.PoliceId);

        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, id, "seen-alone", "yes");
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, id, "seen-alone", "no");

        var stored = await s.Db.Get<IAuditRepository>().GetAnswersAsync(id);
        Assert.Equal("no", Assert.Single(stored, a => a.QuestionKey == "seen-alone").Value);
    }

    [Fact]
    public async Task Answer_ThatTheQuestionDoesNotOffer_IsRefusedAndChangesNothing()
    {
        using var s = await ScenarioAsync();
        var id = await s.ReturnIdAsync("C-001", s.PoliceId);

        var bad = await Assert.ThrowsAsync<DomainValidationException>(() => s.Returns.SaveAnswerAsync(s.PoliceAuditor, id, "seen-alone", "maybe"));
        var notNumber = await Assert.ThrowsAsync<DomainValidationException>(() => s.Returns.SaveAnswerAsync(s.PoliceAuditor, id, "days", "four"));
        var unknown = await Assert.ThrowsAsync<DomainValidationException>(() => s.Returns.SaveAnswerAsync(s.PoliceAuditor, id, "no-such-question", "yes"));
        var tooLong = await Assert.ThrowsAsync<DomainValidationException>(() => s.Returns.SaveEvidenceAsync(s.PoliceAuditor, id, "seen-alone", new string('x', Answers.MaxEvidenceLength + 1)));

        Assert.Contains("\"maybe\" is not one of its options", bad.Message);
        Assert.Contains("expected a number", notNumber.Message);
        Assert.Contains("no question", unknown.Message);
        Assert.Contains("at most", tooLong.Message);
        Assert.Empty(await s.Db.Get<IAuditRepository>().GetAnswersAsync(id));
    }

    [Fact]
    public async Task Answer_ToAQuestionNotShown_IsRefused()
    {
        using var s = await ScenarioAsync();
        var police = await s.ReturnIdAsync("C-001", s.PoliceId);

        var otherSection = await Assert.ThrowsAsync<DomainValidationException>(() => s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "attendance", "yes"));
        var condition = await Assert.ThrowsAsync<DomainValidationException>(() => s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "voice", "yes"));
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "seen-alone", "partly");
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "voice", "yes");

        Assert.Contains("not asked of this return", otherSection.Message);
        Assert.Contains("not asked of this return", condition.Message);
        Assert.Equal(2, (await s.Db.Get<IAuditRepository>().GetAnswersAsync(police)).Count);
    }

    [Fact]
    public async Task Submit_ListsTheRequiredQuestionsShown_ThenSubmits()
    {
        using var s = await ScenarioAsync();
        var education = await s.ReturnIdAsync("C-001", s.EducationId);
        await s.Returns.SaveAnswerAsync(s.EducationAuditor, education, "seen-alone", "yes");

        var first = await s.Returns.SubmitAsync(s.EducationAuditor, education);
        await s.Returns.SaveAnswerAsync(s.EducationAuditor, education, "voice", "no");
        await s.Returns.SaveAnswerAsync(s.EducationAuditor, education, "attendance", "na");
        await s.Returns.SaveAnswerAsync(s.EducationAuditor, education, "overall", "good");
        var second = await s.Returns.SubmitAsync(s.EducationAuditor, education);

        Assert.False(first.Submitted);
        Assert.Equal(["voice", "attendance", "overall"], first.Missing.Select(q => q.Key));
        Assert.True(second.Submitted);
        Assert.Equal(ReturnStatuses.Submitted, (await s.Returns.GetAsync(s.EducationAuditor, education)).Return.Status);
    }

    [Fact]
    public async Task Submit_WhenAConditionHidesAQuestion_DoesNotAskForIt()
    {
        using var s = await ScenarioAsync();
        var police = await s.ReturnIdAsync("C-002", s.PoliceId);
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "seen-alone", "no");
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "overall", "requires-improvement");

        var result = await s.Returns.SubmitAsync(s.PoliceAuditor, police);

        Assert.True(result.Submitted);
    }

    [Fact]
    public async Task SubmittedReturn_IsReadOnly_UntilReturnedForAmendment()
    {
        using var s = await ScenarioAsync();
        var police = await s.ReturnIdAsync("C-002", s.PoliceId);
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "seen-alone", "no");
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "overall", "good");
        await s.Returns.SubmitAsync(s.PoliceAuditor, police);

        await Assert.ThrowsAsync<DomainValidationException>(() => s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "overall", "outstanding"));
        await Assert.ThrowsAsync<DomainValidationException>(() => s.Returns.ReturnForAmendmentAsync(s.Scrutineer, police, " "));
        await Assert.ThrowsAsync<AccessDeniedException>(() => s.Returns.ReturnForAmendmentAsync(s.PoliceAuditor, police, "Please add evidence"));
        await s.Returns.ReturnForAmendmentAsync(s.Scrutineer, police, "Please add evidence for the overall grade.");
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "overall", "outstanding");
        var view = await s.Returns.GetAsync(s.PoliceAuditor, police);

        Assert.Equal(ReturnStatuses.Returned, view.Return.Status);
        Assert.Equal("Please add evidence for the overall grade.", view.Return.ReturnedComment);
        Assert.Equal("outstanding", view.Answers["overall"].Value);
    }

    [Fact]
    public async Task Returns_CannotBeAnswered_BeforeTheAuditOpens_OrAfterModeration()
    {
        using var s = await ScenarioAsync(open: false);
        var police = await s.ReturnIdAsync("C-001", s.PoliceId);

        await Assert.ThrowsAsync<AccessDeniedException>(() => s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "seen-alone", "yes"));
        await s.Planning.OpenAsync(s.Scrutineer, s.AuditId, confirmPastDate: true); // the scenario's fixed deadline
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "seen-alone", "yes");
        await s.Planning.MoveToModerationAsync(s.Scrutineer, s.AuditId);
        await Assert.ThrowsAsync<DomainValidationException>(() => s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "seen-alone", "no"));

        Assert.Equal("yes", Assert.Single(await s.Db.Get<IAuditRepository>().GetAnswersAsync(police)).Value);
    }

    [Fact]
    public async Task EveryAnswerSave_IsWrittenToTheAuditLog_WithOldAndNewValue()
    {
        using var s = await ScenarioAsync();
        var id = await s.ReturnIdAsync("C-001", s.PoliceId);

        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, id, "seen-alone", "yes");
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, id, "seen-alone", "partly");

        var entry = (await s.Db.Get<IAuditLog>().GetLatestAsync(10)).First(e => e.Entity == "answer");
        Assert.Equal(("police.auditor", "yes", "partly", $"{id}/seen-alone"), (entry.UserName, entry.OldValues, entry.NewValues, entry.EntityId));
    }

    [Fact]
    public async Task Submitting_AndItsLogLine_LandTogetherOrNotAtAll()
    {
        using var s = await ScenarioAsync();
        var id = await s.ReturnIdAsync("C-001", s.PoliceId);
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, id, "seen-alone", "no");
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, id, "overall", "good");
        FaultInjection.FailLogLines(s.Db, "submit");

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => s.Returns.SubmitAsync(s.PoliceAuditor, id));

        Assert.Equal(ReturnStatuses.InProgress, (await s.Db.Get<IAuditRepository>().GetReturnAsync(id))!.Status);
    }

    [Fact]
    public async Task ReturningForAmendment_AndItsLogLine_LandTogetherOrNotAtAll()
    {
        using var s = await ScenarioAsync();
        var id = await s.ReturnIdAsync("C-001", s.PoliceId);
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, id, "seen-alone", "no");
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, id, "overall", "good");
        await s.Returns.SubmitAsync(s.PoliceAuditor, id);
        FaultInjection.FailLogLines(s.Db, "return-for-amendment");

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => s.Returns.ReturnForAmendmentAsync(s.Scrutineer, id, "Say more about the plan"));

        var ret = (await s.Db.Get<IAuditRepository>().GetReturnAsync(id))!;
        Assert.Equal((ReturnStatuses.Submitted, (string?)null), (ret.Status, ret.ReturnedComment));
    }
}

public sealed class ReturnServiceTestsOnSqlite() : ReturnServiceTests(DatabaseEngine.Sqlite);

public sealed class ReturnServiceTestsOnPostgres() : ReturnServiceTests(DatabaseEngine.Postgres);
