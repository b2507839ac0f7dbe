using AuditTool.Data;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;
using AuditTool.Tests.Support;

namespace AuditTool.Tests.Data;

/// <summary>Who may read and write which return, asked of the service by id, as a forged request would.</summary>
public abstract class ReturnVisibilityTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    [Fact]
    public async Task AuditorOfAgencyA_CannotReadOrWrite_AgencyBsReturn_ByItsId()
    {
        using var s = await ScenarioAsync();
        var education = await s.ReturnIdAsync("C-001", s.EducationId);

        await Assert.ThrowsAsync<AccessDeniedException>(() => s.Returns.GetAsync(s.PoliceAuditor, education));
        await Assert.ThrowsAsync<AccessDeniedException>(() => s.Returns.SaveAnswerAsync(s.PoliceAuditor, education, "seen-alone", "yes"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => s.Returns.SaveEvidenceAsync(s.PoliceAuditor, education, "seen-alone", "x"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => s.Returns.SubmitAsync(s.PoliceAuditor, education));

        Assert.Empty(await s.Db.Get<IAuditRepository>().GetAnswersAsync(education));
        var log = await s.Db.Get<IAuditLog>().GetLatestAsync(20);
        Assert.Contains(log, e => e.Action == "access-refused" && e.UserName == "police.auditor" && e.EntityId == education.ToString());
    }

    [Fact]
    public async Task UnknownReturnId_IsRefusedLikeAForbiddenOne()
    {
        using var s = await ScenarioAsync();

        var ex = await Assert.ThrowsAsync<AccessDeniedException>(() => s.Returns.GetAsync(s.PoliceAuditor, 99_999));

        Assert.Equal("You do not have access to this return.", ex.Message);
    }

    [Fact]
    public async Task Executive_Administrator_CannotReadAnyReturn_ManagerOnlyTheirAgencys()
    {
        using var s = await ScenarioAsync();
        var police = await s.ReturnIdAsync("C-001", s.PoliceId);
        var education = await s.ReturnIdAsync("C-001", s.EducationId);

        await Assert.ThrowsAsync<AccessDeniedException>(() => s.Returns.GetAsync(s.Executive, police));
        await Assert.ThrowsAsync<AccessDeniedException>(() => s.Returns.GetAsync(s.Administrator, police));
        await Assert.ThrowsAsync<AccessDeniedException>(() => s.Returns.GetAsync(s.PoliceManager, education));
        var managerView = await s.Returns.GetAsync(s.PoliceManager, police);
        await Assert.ThrowsAsync<AccessDeniedException>(() => s.Returns.SaveAnswerAsync(s.PoliceManager, police, "seen-alone", "yes"));

        Assert.False(managerView.Editable);
    }

    [Fact]
    public async Task BlindUntilModeration_ThenRevealedToTheAuditorsOfThatCase()
    {
        using var s = await ScenarioAsync();
        var police = await s.ReturnIdAsync("C-001", s.PoliceId);
        var education = await s.ReturnIdAsync("C-001", s.EducationId);
        await s.Returns.SaveAnswerAsync(s.EducationAuditor, education, "seen-alone", "yes");
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "seen-alone", "no");
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "overall", "good");
        Assert.True((await s.Returns.SubmitAsync(s.PoliceAuditor, police)).Submitted);
        await Assert.ThrowsAsync<AccessDeniedException>(() => s.Returns.GetAsync(s.PoliceAuditor, education));
        Assert.Single(await s.Returns.GetCaseReturnsAsync(s.PoliceAuditor, police));

        await s.Planning.MoveToModerationAsync(s.Scrutineer, s.AuditId);
        var revealed = await s.Returns.GetAsync(s.PoliceAuditor, education);
        var side = await s.Returns.GetCaseReturnsAsync(s.PoliceAuditor, police);

        Assert.Equal("yes", revealed.Answers["seen-alone"].Value);
        Assert.False(revealed.Editable);
        Assert.Equal(2, side.Count);
    }

    [Fact]
    public async Task Reveal_CoversOnlyCasesTheAuditorsAgencyAudited()
    {
        using var s = await ScenarioAsync(cases: 2);
        var c2 = (await s.Db.Get<IAuditRepository>().GetCasesAsync(s.AuditId)).Single(c => c.Ref == "C-002");
        await s.Planning.SetCaseAgenciesAsync(s.Scrutineer, s.AuditId, c2.Id, [s.EducationId]);
        var educationOnC2 = await s.ReturnIdAsync("C-002", s.EducationId);
        await s.Planning.MoveToModerationAsync(s.Scrutineer, s.AuditId);

        await Assert.ThrowsAsync<AccessDeniedException>(() => s.Returns.GetAsync(s.PoliceAuditor, educationOnC2));
        Assert.NotNull(await s.Returns.GetAsync(s.EducationAuditor, educationOnC2));
    }

    [Fact]
    public async Task Reveal_CoversOnlyCasesWhoseOwnReturnTheAuditorsAgencySubmitted()
    {
        using var s = await ScenarioAsync(cases: 2);
        var policeOnC1 = await s.ReturnIdAsync("C-001", s.PoliceId);
        var educationOnC1 = await s.ReturnIdAsync("C-001", s.EducationId);
        var policeOnC2 = await s.ReturnIdAsync("C-002", s.PoliceId);
        var educationOnC2 = await s.ReturnIdAsync("C-002", s.EducationId);
        foreach (var (ret, actor) in new[] { (educationOnC1, s.EducationAuditor), (educationOnC2, s.EducationAuditor), (policeOnC2, s.PoliceAuditor) })
        {
            await s.Returns.SaveAnswerAsync(actor, ret, "seen-alone", "no");
            if (actor == s.EducationAuditor)
            {
                await s.Returns.SaveAnswerAsync(actor, ret, "attendance", "yes");
            }

            await s.Returns.SaveAnswerAsync(actor, ret, "overall", "good");
            Assert.True((await s.Returns.SubmitAsync(actor, ret)).Submitted);
        }

        // Police started C-001 but never submitted it: the other agencies' answers on C-001 stay hidden from police.
        await s.Returns.SaveEvidenceAsync(s.PoliceAuditor, policeOnC1, "seen-alone", "Started, not finished");
        await s.Planning.MoveToModerationAsync(s.Scrutineer, s.AuditId);

        await Assert.ThrowsAsync<AccessDeniedException>(() => s.Returns.GetAsync(s.PoliceAuditor, educationOnC1));
        Assert.Equal([policeOnC1], (await s.Returns.GetCaseReturnsAsync(s.PoliceAuditor, policeOnC1)).Select(v => v.Return.Id));
        Assert.NotNull(await s.Returns.GetAsync(s.PoliceAuditor, educationOnC2));
        Assert.Equal(2, (await s.Returns.GetCaseReturnsAsync(s.PoliceAuditor, policeOnC2)).Count);
        Assert.Equal(2, (await s.Returns.GetCaseReturnsAsync(s.EducationAuditor, educationOnC1)).Count);
    }

    [Fact]
    public async Task Planning_IsForScrutineersOnly()
    {
        using var s = await ScenarioAsync();

        foreach (var actor in new[] { s.PoliceAuditor, s.PoliceManager, s.Executive, s.Administrator })
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => s.Planning.ListAsync(actor));
            await Assert.ThrowsAsync<AccessDeniedException>(() => s.Planning.GetProgressAsync(actor, s.AuditId));
            await Assert.ThrowsAsync<AccessDeniedException>(() => s.Planning.AddCaseAsync(actor, s.AuditId, "C-099"));
            await Assert.ThrowsAsync<AccessDeniedException>(() => s.Planning.MoveToModerationAsync(actor, s.AuditId));
        }

        Assert.Equal(3, (await s.Db.Get<IAuditRepository>().GetCasesAsync(s.AuditId)).Count);
    }
}

public sealed class ReturnVisibilityTestsOnSqlite() : ReturnVisibilityTests(DatabaseEngine.Sqlite);

public sealed class ReturnVisibilityTestsOnPostgres() : ReturnVisibilityTests(DatabaseEngine.Postgres);
