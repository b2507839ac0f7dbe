using AuditTool.Web.Cli;
using System.Text.Json;
using AuditTool.Data;
using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Security;
using AuditTool.Tests.Support;
using AuditTool.Web.Hosting;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Tests.Data;

/// <summary>
/// Figures once computed: a published audit's figures are kept as it is published and read from there, whatever
/// happens to the rows under them, until recompute-figures; an open audit's are held until its change counter moves,
/// on this server or another.
/// </summary>
public abstract class KeptFiguresTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    private async Task<AuditScenario> AnsweredAsync(int cases = 5)
    {
        var s = await ScenarioAsync(cases: cases);
        for (var i = 1; i <= cases; i++)
        {
            var police = await s.ReturnIdAsync($"C-{i:000}", s.PoliceId);
            await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "seen-alone", i == 5 ? "no" : "yes");
            if (i != 5)
            {
                await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "voice", "yes");
            }

            await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "overall", "good");
            Assert.True((await s.Returns.SubmitAsync(s.PoliceAuditor, police)).Submitted);
        }

        return s;
    }

    private static double? RateOf(FiguresView view, string key) => view.Figures.Questions.Single(q => q.Key == key).PositiveRate;

    [Fact]
    public async Task APublishedAuditsFigures_AreReadFromWhereTheyWereKept_UntilRecomputed()
    {
        using var s = await AnsweredAsync();
        await s.Planning.MoveToModerationAsync(s.Scrutineer, s.AuditId);
        var findings = s.Db.Get<FindingsService>();
        await findings.AddFindingAsync(s.Scrutineer, s.AuditId, new FindingInput(FindingKinds.Strength, "Seen alone", "", [], []));
        await findings.PublishAsync(s.Scrutineer, s.AuditId);
        var figures = s.Db.Get<FiguresService>();
        var atPublication = await figures.GetAsync(s.Scrutineer, s.AuditId);

        // Straight into the database, as nothing in the app can: a published answer changed under the kept figures.
        using (var connection = s.Db.Factory.Open())
        {
            connection.Execute("""
                UPDATE answers SET value = 'no' WHERE return_id IN (SELECT id FROM agency_returns WHERE audit_id = @AuditId)
                  AND question_id IN (SELECT id FROM template_questions WHERE key = 'seen-alone')
                """, new { s.AuditId });
            Assert.Equal(1, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_figures WHERE audit_id = @AuditId", new { s.AuditId }));
        }

        using var otherServer = AuditToolServices.For(DatabaseTarget.Parse(s.Db.Location, s.Db.Folder));
        var elsewhere = await otherServer.GetRequiredService<FiguresService>().GetAsync(s.Scrutineer, s.AuditId);
        var report = await s.Db.Get<ReportService>().GetAsync(s.Executive, s.AuditId);
        var (differed, wereKept) = await figures.RecomputeAsync(Actor.System, s.AuditId);
        var (again, _) = await figures.RecomputeAsync(Actor.System, s.AuditId);
        var afterRecompute = await otherServer.GetRequiredService<FiguresService>().GetAsync(s.Scrutineer, s.AuditId);

        Assert.Equal(0.8, RateOf(atPublication, "seen-alone")!.Value, 6);
        Assert.Equal(0.8, RateOf(elsewhere, "seen-alone")!.Value, 6);
        Assert.Equal(atPublication.Figures.OverallRate, report.OverallRate);
        Assert.True(wereKept);
        Assert.True(differed);
        Assert.False(again);
        Assert.Equal(0.0, RateOf(afterRecompute, "seen-alone")!.Value, 6);
    }

    [Fact]
    public async Task RecomputeFiguresVerb_SaysWhetherTheKeptFiguresStillMatch_AndRefusesAnAuditNotPublished()
    {
        using var s = await AnsweredAsync();
        await s.Planning.MoveToModerationAsync(s.Scrutineer, s.AuditId);
        var findings = s.Db.Get<FindingsService>();
        await findings.AddFindingAsync(s.Scrutineer, s.AuditId, new FindingInput(FindingKinds.Strength, "Seen alone", "", [], []));

        var (early, earlyOut, earlyErr) = await RunAsync(["recompute-figures", s.AuditId.ToString(), "--db", s.Db.Location]);
        await findings.PublishAsync(s.Scrutineer, s.AuditId);
        var (matched, matchedOut, _) = await RunAsync(["recompute-figures", "--db", s.Db.Location]);
        using (var connection = s.Db.Factory.Open())
        {
            connection.Execute("""
                UPDATE answers SET value = 'no' WHERE return_id IN (SELECT id FROM agency_returns WHERE audit_id = @AuditId)
                  AND question_id IN (SELECT id FROM template_questions WHERE key = 'seen-alone')
                """, new { s.AuditId });
        }

        var (differed, differedOut, _) = await RunAsync(["recompute-figures", s.AuditId.ToString(), "--db", s.Db.Location]);
        var (none, _, noneErr) = await RunAsync(["recompute-figures", "999", "--db", s.Db.Location]);

        Assert.Equal((CommandLine.Usage, ""), (early, earlyOut));
        Assert.Contains("is not published", earlyErr, StringComparison.Ordinal);
        Assert.Equal(CommandLine.Ok, matched);
        Assert.Contains("match those kept at publication", matchedOut, StringComparison.Ordinal);
        Assert.Contains("1 published audit, 0 with different figures", matchedOut, StringComparison.Ordinal);
        Assert.Equal(CommandLine.Ok, differed);
        Assert.Contains("differ from those kept at publication", differedOut, StringComparison.Ordinal);
        Assert.Contains("1 published audit, 1 with different figures", differedOut, StringComparison.Ordinal);
        Assert.Equal(0.0, RateOf(await s.Db.Get<FiguresService>().GetAsync(s.Scrutineer, s.AuditId), "seen-alone")!.Value, 6);
        Assert.Equal(CommandLine.Usage, none);
        Assert.Contains("there is no audit 999", noneErr, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, stdout, stderr, TextReader.Null);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task KeptFigures_AreExactlyTheFiguresComputedFromTheAnswers()
    {
        using var s = await AnsweredAsync();
        await s.Planning.MoveToModerationAsync(s.Scrutineer, s.AuditId);
        var caseId = (await s.Db.Get<IAuditRepository>().GetCasesAsync(s.AuditId)).First().Id;
        await s.Db.Get<ModerationService>().SaveAsync(s.Scrutineer, s.AuditId, caseId, "overall", "good", "");
        var findings = s.Db.Get<FindingsService>();
        await findings.AddFindingAsync(s.Scrutineer, s.AuditId, new FindingInput(FindingKinds.Strength, "Seen alone", "", [], []));
        var beforePublication = await s.Db.Get<FiguresService>().GetAsync(s.Scrutineer, s.AuditId, reliability: true);

        await findings.PublishAsync(s.Scrutineer, s.AuditId);
        var kept = await s.Db.Get<IFiguresStore>().GetAsync(s.AuditId);

        Assert.NotNull(kept);
        Assert.Equal(JsonSerializer.Serialize(beforePublication.Figures), JsonSerializer.Serialize(kept.Figures));
    }

    [Fact]
    public async Task AnOpenAuditsFigures_AreHeldUntilItsChangeCounterMoves_OnAnyServer()
    {
        using var s = await AnsweredAsync();
        var figures = s.Db.Get<FiguresService>();
        var first = await figures.GetAsync(s.Scrutineer, s.AuditId);
        var second = await figures.GetAsync(s.Scrutineer, s.AuditId);
        using var otherServer = AuditToolServices.For(DatabaseTarget.Parse(s.Db.Location, s.Db.Folder));
        var police = await s.ReturnIdAsync("C-005", s.PoliceId);
        await s.Returns.ReturnForAmendmentAsync(s.Scrutineer, police, "Check the home visit");
        await otherServer.GetRequiredService<ReturnService>().SaveAnswerAsync(s.PoliceAuditor, police, "seen-alone", "yes");
        await otherServer.GetRequiredService<ReturnService>().SaveAnswerAsync(s.PoliceAuditor, police, "voice", "yes");
        await otherServer.GetRequiredService<ReturnService>().SubmitAsync(s.PoliceAuditor, police);
        var third = await figures.GetAsync(s.Scrutineer, s.AuditId);

        Assert.Same(first.Figures, second.Figures);
        Assert.Equal(0.8, RateOf(first, "seen-alone")!.Value, 6);
        Assert.Equal(1.0, RateOf(third, "seen-alone")!.Value, 6);
    }

    [Fact]
    public async Task EveryWriteThatCanChangeFigures_MovesTheCounter_AndEvidenceDoesNot()
    {
        using var s = await ScenarioAsync(cases: 2);
        var store = s.Db.Get<IFiguresStore>();
        var police = await s.ReturnIdAsync("C-001", s.PoliceId);
        var counts = new List<long> { await store.GetChangesAsync(s.AuditId) };

        await s.Returns.SaveEvidenceAsync(s.PoliceAuditor, police, "seen-alone", "A note");
        counts.Add(await store.GetChangesAsync(s.AuditId));
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "seen-alone", "no");
        counts.Add(await store.GetChangesAsync(s.AuditId));
        await s.Returns.SaveAnswerAsync(s.PoliceAuditor, police, "overall", "good");
        await s.Returns.SubmitAsync(s.PoliceAuditor, police);
        counts.Add(await store.GetChangesAsync(s.AuditId));
        await s.Planning.AddCaseAsync(s.Scrutineer, s.AuditId, "C-099");
        counts.Add(await store.GetChangesAsync(s.AuditId));
        await s.Planning.MoveToModerationAsync(s.Scrutineer, s.AuditId);
        counts.Add(await store.GetChangesAsync(s.AuditId));
        var caseId = (await s.Db.Get<IAuditRepository>().GetCasesAsync(s.AuditId)).First().Id;
        await s.Db.Get<ModerationService>().SaveAsync(s.Scrutineer, s.AuditId, caseId, "overall", "good", "");
        counts.Add(await store.GetChangesAsync(s.AuditId));

        Assert.Equal(counts[0], counts[1]);
        Assert.All(counts.Skip(2).Zip(counts.Skip(1)), pair => Assert.True(pair.First > pair.Second, string.Join(", ", counts)));
    }
}

public sealed class KeptFiguresTestsOnSqlite() : KeptFiguresTests(DatabaseEngine.Sqlite);

public sealed class KeptFiguresTestsOnPostgres() : KeptFiguresTests(DatabaseEngine.Postgres);
