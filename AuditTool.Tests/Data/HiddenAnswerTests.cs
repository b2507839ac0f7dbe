using AuditTool.Data;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Exports;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Security;
using AuditTool.Tests.Support;

namespace AuditTool.Tests.Data;

/// <summary>
/// One rule for an answer its condition hides (the police answered "voice", then changed "seen-alone" to "no"): it is
/// kept in the database, never shown, exported or offered as a quote, nothing can be saved into it, and it comes back
/// when the condition holds again.
/// </summary>
public abstract class HiddenAnswerTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    private const string Note = "Spoke to her alone, twice.";

    /// <summary>C-001's police return with "voice" answered and noted, then hidden by "seen-alone" changed to "no".</summary>
    private async Task<(AuditScenario S, long Police)> HiddenAsync()
    {
        var s = await ScenarioAsync(cases: 2);
        var police = await s.ReturnIdAsync("C-001", s.PoliceId);
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "seen-alone", "yes");
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "voice", "yes");
        await s.Returns.SaveEvidenceAsync(s.PoliceAuditor, police, "voice", Note);
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "overall", "good");
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "seen-alone", "no");
        return (s, police);
    }

    private static async Task<StoredAnswer?> StoredVoiceAsync(AuditScenario s, long returnId) =>
        (await s.Db.Get<IAuditRepository>().GetAnswersAsync(returnId)).SingleOrDefault(a => a.QuestionKey == "voice");

    [Fact]
    public async Task HiddenAnswer_IsKeptButNotShown_NothingCanBeSavedIntoIt_AndItComesBackWhenItsConditionHolds()
    {
        var (s, police) = await HiddenAsync();
        using var _ = s;

        var view = await s.Returns.GetAsync(s.PoliceAuditor, police);
        var answerRefused = await Assert.ThrowsAsync<DomainValidationException>(() => s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "voice", "no"));
        var noteRefused = await Assert.ThrowsAsync<DomainValidationException>(() => s.Returns.SaveEvidenceAsync(s.PoliceAuditor, police, "voice", "A new note"));

        Assert.False(view.Answers.ContainsKey("voice"));
        Assert.Equal(["overall", "seen-alone"], view.Values.Keys.Order());
        Assert.EndsWith("is not asked of this return, so it cannot have evidence.", noteRefused.Message);
        Assert.Contains("cannot be answered", answerRefused.Message);
        var kept = await StoredVoiceAsync(s, police);
        Assert.Equal(("yes", Note), (kept?.Value, kept?.Evidence));

        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "seen-alone", "partly");

        var back = await s.Returns.GetAsync(s.PoliceAuditor, police);
        Assert.Equal("yes", back.Values["voice"]);
        Assert.Equal(Note, back.Answers["voice"].Evidence);
    }

    [Fact]
    public async Task ModerationPage_AndTheOtherAgenciesViews_ShowNoHiddenAnswerOrNote()
    {
        var (s, police) = await HiddenAsync();
        using var _ = s;
        await s.Returns.SubmitAsync(s.PoliceAuditor, police);
        // Education sees the police return of C-001 once it has submitted its own (the reveal).
        var education = await s.ReturnIdAsync("C-001", s.EducationId);
        await s.Returns.SaveAnswerAsync(s.EducationAuditor, education, "seen-alone", "no");
        await s.Returns.SaveAnswerAsync(s.EducationAuditor, education, "attendance", "yes");
        await s.Returns.SaveAnswerAsync(s.EducationAuditor, education, "overall", "good");
        Assert.True((await s.Returns.SubmitAsync(s.EducationAuditor, education)).Submitted);
        await s.Planning.MoveToModerationAsync(s.Scrutineer, s.AuditId);
        var caseId = (await s.Db.Get<IAuditRepository>().GetCasesAsync(s.AuditId)).Single(c => c.Ref == "C-001").Id;

        var moderation = await s.Db.Get<ModerationService>().GetCaseAsync(s.Scrutineer, s.AuditId, caseId);
        var sideBySide = await s.Returns.GetCaseReturnsAsync(s.EducationAuditor, education);

        var policeReturn = moderation.Returns.Single(r => r.Return.Id == police);
        Assert.False(policeReturn.Answers.ContainsKey("voice"));
        Assert.False(policeReturn.Evidence.ContainsKey("voice"));
        Assert.Equal("good", policeReturn.Answers["overall"]);
        Assert.False(sideBySide.Single(v => v.Return.Id == police).Answers.ContainsKey("voice"));
    }

    [Fact]
    public async Task ExcelResponsesAndModerationSheets_LeaveOutTheHiddenAnswer()
    {
        var (s, police) = await HiddenAsync();
        using var _ = s;
        await s.Returns.SubmitAsync(s.PoliceAuditor, police);
        await s.Planning.MoveToModerationAsync(s.Scrutineer, s.AuditId);
        var caseId = (await s.Db.Get<IAuditRepository>().GetCasesAsync(s.AuditId)).Single(c => c.Ref == "C-001").Id;
        await s.Db.Get<ModerationService>().SaveAsync(s.Scrutineer, s.AuditId, caseId, "voice", "no", "");
        var path = Path.Combine(s.Db.Folder, "hidden.xlsx");

        await using (var file = File.Create(path))
        {
            await s.Db.Get<ExportService>().ExportXlsxAsync(s.Scrutineer, s.AuditId, file);
        }

        var responses = Spreadsheets.ReadSheet(path, "Responses").Skip(1).Where(r => r[0] == "C-001" && r[1] == "Cleveland Police").ToList();
        Assert.Equal(["overall", "seen-alone"], responses.Select(r => r[3]).Order());
        Assert.DoesNotContain(Spreadsheets.ReadSheet(path, "Responses"), r => r.Contains(Note));
        // The moderated "No" is there; the police's hidden "Yes" is not.
        var voice = Spreadsheets.ReadSheet(path, "Moderation").Single(r => r[0] == "C-001" && r[1] == "voice");
        Assert.Contains("No", voice);
        Assert.DoesNotContain("Yes", voice);
    }

    [Fact]
    public async Task QuoteSources_LeaveOutTheNoteOfAHiddenAnswer()
    {
        var (s, police) = await HiddenAsync();
        using var _ = s;
        await s.Returns.SaveEvidenceAsync(s.PoliceAuditor, police, "overall", "Good work with school.");
        await s.Returns.SubmitAsync(s.PoliceAuditor, police);
        await s.Planning.MoveToModerationAsync(s.Scrutineer, s.AuditId);
        var findings = s.Db.Get<FindingsService>();
        var finding = await findings.AddFindingAsync(s.Scrutineer, s.AuditId, new FindingInput("strength", "Voice heard", "", [], []));

        var sources = await findings.GetQuoteSourcesAsync(s.Scrutineer, s.AuditId, finding);

        Assert.Equal(["Good work with school."], sources.Select(q => q.Evidence));
    }
}

public sealed class HiddenAnswerTestsOnSqlite() : HiddenAnswerTests(DatabaseEngine.Sqlite);

public sealed class HiddenAnswerTestsOnPostgres() : HiddenAnswerTests(DatabaseEngine.Postgres);
