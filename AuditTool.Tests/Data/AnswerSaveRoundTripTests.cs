using AuditTool.Benchmarks.Measurements;
using AuditTool.Data;
using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Logging;
using AuditTool.Tests.Support;
using AuditTool.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Tests.Data;

/// <summary>
/// An auditor's answer costs at most two round trips to the database (issue 21), counted on the wire: the app's services
/// are wired to PostgreSQL through a relay that counts each request and its reply. The save still does everything it
/// did: the access check against the account as it is now, the return's state, the log line in the same transaction.
/// </summary>
public sealed class AnswerSaveRoundTripTests
{
    [Fact]
    public async Task AnAnswerAndANote_SaveInAtMostTwoRoundTrips_WithTheirLogLinesAndTheChangeCounter()
    {
        using var s = await AuditScenario.CreateAsync(DatabaseEngine.Postgres);
        var (counter, through) = WireCounter.For(s.Db.Location);
        using (counter)
        using (var services = AuditToolServices.For(through))
        {
            var returns = services.GetRequiredService<ReturnService>();
            var id = await s.ReturnIdAsync("C-001", s.PoliceId);
            // The first save starts the return and reads the published template once (kept from then on); a warm pool.
            await returns.SaveAnswerAsync(s.PoliceAuditor, id, "seen-alone", "yes");
            var changesBefore = await s.Db.Get<IFiguresStore>().GetChangesAsync(s.AuditId);

            var answer = await counter.CountAsync(() => returns.SaveAnswerAsync(s.PoliceAuditor, id, "seen-alone", "partly"));
            var note = await counter.CountAsync(() => returns.SaveEvidenceAsync(s.PoliceAuditor, id, "seen-alone", "Seen at school."));
            var conditional = await counter.CountAsync(() => returns.SaveAnswerAsync(s.PoliceAuditor, id, "voice", "yes"));

            Assert.True(answer <= 2, $"An answer took {answer} round trips (a note {note}, a conditional answer {conditional}).");
            Assert.True(note <= 2, $"An evidence note took {note} round trips.");
            Assert.True(conditional <= 2, $"An answer to a conditional question took {conditional} round trips.");
            var stored = (await s.Db.Get<IAuditRepository>().GetAnswersAsync(id)).ToDictionary(a => a.QuestionKey);
            Assert.Equal("partly", stored["seen-alone"].Value);
            Assert.Equal("Seen at school.", stored["seen-alone"].Evidence);
            Assert.Equal("yes", stored["voice"].Value);
            Assert.Equal(changesBefore + 2, await s.Db.Get<IFiguresStore>().GetChangesAsync(s.AuditId));
            var log = await s.Db.Get<IAuditLog>().GetLatestAsync(50);
            Assert.Contains(log, l => l.Action == "update" && l.Entity == "answer" && l.EntityId == $"{id}/seen-alone" && l.NewValues == "partly" && l.OldValues == "yes");
            Assert.Contains(log, l => l.Action == "update" && l.Entity == "evidence" && l.EntityId == $"{id}/seen-alone" && l.NewValues == "Seen at school.");
            Assert.True((await s.Db.Get<AuditLogService>().VerifyAsync(AuditTool.Domain.Security.Actor.System)).Intact);
        }
    }
}
