using AuditTool.Data;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Sampling;
using AuditTool.Tests.Support;

namespace AuditTool.Tests.Data;

public abstract class SamplingServiceTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    private const string Cohort = """
        Case ref,Locality,Age,Attendance %,Suspension days,SEND
        C-101,Hartlepool,14,62,0,SEN support
        C-102,Stockton,15,88,6,SEN support
        C-103,Stockton,13,95,0,None
        C-104,Hartlepool,12,70,1,SEN support
        C-105,Stockton,16,71,5,EHCP
        C-106,Hartlepool,14,40,9,SEN support
        C-107,Stockton,15,99,0,SEN support
        C-108,Hartlepool,13,55,2,None
        """;

    private static readonly SampleCriteria DeepDive = new(
    [
        new CriteriaGroup([new Criterion("Attendance %", CriterionOperator.AtMost, ["70"]), new Criterion("Suspension days", CriterionOperator.AtLeast, ["5"])]),
        new CriteriaGroup([new Criterion("SEND", CriterionOperator.Equals, ["SEN support"])]),
    ]);

    [Fact]
    public async Task Cohort_CriteriaAndSeed_GiveTheSameSample_AndAreRecorded()
    {
        using var s = await ScenarioAsync(cases: 0, open: false);

        var rows = await s.Planning.SaveCohortAsync(s.Scrutineer, s.AuditId, Cohort, "Case ref", "cohort.csv");
        var matches = await s.Planning.CountMatchesAsync(s.Scrutineer, s.AuditId, DeepDive);
        var first = await s.Planning.DrawSampleAsync(s.Scrutineer, s.AuditId, DeepDive, 3, 20261122);
        var again = await s.Planning.DrawSampleAsync(s.Scrutineer, s.AuditId, DeepDive, 3, 20261122);
        var audit = (await s.Planning.GetAsync(s.Scrutineer, s.AuditId)).Audit;

        Assert.Equal(8, rows);
        Assert.Equal(4, matches); // C-101, C-102, C-104, C-106
        Assert.Equal(first.Added, again.Added);
        Assert.All(first.Added, r => Assert.Contains(r, new[] { "C-101", "C-102", "C-104", "C-106" }));
        Assert.Equal(first.Added, (await s.Db.Get<IAuditRepository>().GetCasesAsync(s.AuditId)).Select(c => c.Ref));
        Assert.Equal((20261122L, 3, 8, "cohort.csv"), (audit.SampleSeed!.Value, audit.SampleSize!.Value, audit.CohortSize!.Value, audit.CohortFile!));
        Assert.Equal("(Attendance % at most 70 or Suspension days at least 5) and SEND equals \"SEN support\", 3 of 8 cases, seed 20261122", audit.DescribeDraw());
        Assert.Equal("All cases", audit.SampleCriteriaText); // the scrutineer's words, as the scenario planned them
        Assert.Equal(6, (await s.Db.Get<IAuditRepository>().GetReturnsAsync(s.AuditId)).Count);
    }

    [Fact]
    public async Task Cohort_WithoutTheReferenceColumn_IsRefusedAndNothingSaved()
    {
        using var s = await ScenarioAsync(cases: 0, open: false);

        var ex = await Assert.ThrowsAsync<CohortException>(() => s.Planning.SaveCohortAsync(s.Scrutineer, s.AuditId, Cohort, "Reference", "cohort.csv"));

        Assert.Contains("There is no column called 'Reference'", ex.Message);
        Assert.Null(await s.Planning.GetCohortAsync(s.Scrutineer, s.AuditId));
    }

    [Fact]
    public async Task Cohort_WithDuplicateReferences_IsRefusedAndNothingSaved()
    {
        using var s = await ScenarioAsync(cases: 0, open: false);
        var duplicated = Cohort + "\nC-103,Stockton,13,95,0,None";

        var ex = await Assert.ThrowsAsync<CohortException>(() => s.Planning.SaveCohortAsync(s.Scrutineer, s.AuditId, duplicated, "Case ref", "cohort.csv"));

        Assert.Contains("C-103", ex.Message);
        Assert.Contains("unique", ex.Message);
        Assert.Null(await s.Planning.GetCohortAsync(s.Scrutineer, s.AuditId));
    }

    [Fact]
    public async Task Cohort_WithANameForAReference_IsRefused()
    {
        using var s = await ScenarioAsync(cases: 0, open: false);
        var named = Cohort.Replace("C-105", "Jamie Smith");

        var ex = await Assert.ThrowsAsync<CohortException>(() => s.Planning.SaveCohortAsync(s.Scrutineer, s.AuditId, named, "Case ref", "cohort.csv"));

        Assert.Contains("Row 6", ex.Message);
        Assert.Contains("Never use a child's name", ex.Message);
    }

    [Fact]
    public async Task TextInANumericCriterion_IsRefusedWithAClearMessage_AndDrawsNothing()
    {
        using var s = await ScenarioAsync(cases: 0, open: false);
        await s.Planning.SaveCohortAsync(s.Scrutineer, s.AuditId, Cohort, "Case ref", "cohort.csv");
        var bad = new SampleCriteria([new CriteriaGroup([new Criterion("Attendance %", CriterionOperator.AtMost, ["seventy"])])]);

        var count = await Assert.ThrowsAsync<AuditTool.Domain.Security.DomainValidationException>(() => s.Planning.CountMatchesAsync(s.Scrutineer, s.AuditId, bad));
        var draw = await Assert.ThrowsAsync<AuditTool.Domain.Security.DomainValidationException>(() => s.Planning.DrawSampleAsync(s.Scrutineer, s.AuditId, bad, 3, 1));

        Assert.Contains("the value must be a number", count.Message);
        Assert.Contains("the value must be a number", draw.Message);
        Assert.Empty(await s.Db.Get<IAuditRepository>().GetCasesAsync(s.AuditId));
    }

    [Fact]
    public async Task CaseAddedByHand_DuplicateOrName_IsRefused()
    {
        using var s = await ScenarioAsync(cases: 1, open: false);

        var duplicate = await Assert.ThrowsAsync<AuditTool.Domain.Security.DomainValidationException>(() => s.Planning.AddCaseAsync(s.Scrutineer, s.AuditId, "c-001"));
        var name = await Assert.ThrowsAsync<AuditTool.Domain.Security.DomainValidationException>(() => s.Planning.AddCaseAsync(s.Scrutineer, s.AuditId, "Jamie Smith"));

        Assert.Contains("already in this audit", duplicate.Message);
        Assert.Contains("pseudonymised", name.Message);
        Assert.Single(await s.Db.Get<IAuditRepository>().GetCasesAsync(s.AuditId));
    }

    [Fact]
    public async Task CaseAgencies_CanBeAdjusted_AndACaseWithAnswersKeepsThem()
    {
        using var s = await ScenarioAsync(cases: 1);
        var caseId = (await s.Db.Get<IAuditRepository>().GetCasesAsync(s.AuditId))[0].Id;
        var police = await s.ReturnIdAsync("C-001", s.PoliceId);
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "seen-alone", "yes");

        await Assert.ThrowsAsync<AuditTool.Domain.Security.DomainValidationException>(() =>
            s.Planning.SetCaseAgenciesAsync(s.Scrutineer, s.AuditId, caseId, [s.EducationId]));
        var removeCase = await Assert.ThrowsAsync<AuditTool.Domain.Security.DomainValidationException>(() =>
            s.Planning.RemoveCaseAsync(s.Scrutineer, s.AuditId, caseId));

        Assert.Contains("already has answers", removeCase.Message);
        var returns = await s.Db.Get<IAuditRepository>().GetReturnsAsync(s.AuditId);
        Assert.Equal(2, returns.Count);
        Assert.Equal("yes", Assert.Single(await s.Db.Get<IAuditRepository>().GetAnswersAsync(police)).Value);
    }

    [Fact]
    public async Task NamedAuditor_MustBeAnAuditorOfTheReturnsAgency()
    {
        using var s = await ScenarioAsync(cases: 1);
        var police = await s.ReturnIdAsync("C-001", s.PoliceId);

        await Assert.ThrowsAsync<AuditTool.Domain.Security.DomainValidationException>(() => s.Planning.SetAuditorAsync(s.Scrutineer, police, s.EducationAuditor.UserId));
        await s.Planning.SetAuditorAsync(s.Scrutineer, police, s.PoliceAuditor.UserId);

        Assert.Equal(s.PoliceAuditor.UserId, (await s.Db.Get<IAuditRepository>().GetReturnAsync(police))!.AuditorUserId);
    }
}

public sealed class SamplingServiceTestsOnSqlite() : SamplingServiceTests(DatabaseEngine.Sqlite);

public sealed class SamplingServiceTestsOnPostgres() : SamplingServiceTests(DatabaseEngine.Postgres);
