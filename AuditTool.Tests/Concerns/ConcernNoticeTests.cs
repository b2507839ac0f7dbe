using AuditTool.Data;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Concerns;
using AuditTool.Domain.Security;
using AuditTool.Tests.Notices;
using AuditTool.Tests.Support;
using MimeKit;

namespace AuditTool.Tests.Concerns;

/// <summary>
/// Concern notices end to end: the real services on a real database (both engines), a real SMTP server on loopback and a
/// clock the test moves. Leads: the police manager and the education auditor (addresses), the health manager (no
/// address); the scrutineer has an address. All four agencies have a return on every case.
/// </summary>
public abstract class ConcernNoticeTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    private const string Description = "Heron-marked bruise recorded 17 March, no strategy meeting";
    private const string Told = "Duty desk kestrel team";

    private static readonly string[] Told3 =
        ["education.auditor@schools.example.org", "police.manager@police.example.org", "scrutineer@partnership.example.org"];

    /// <summary>Thursday 24 December 2026, 15:00 in London (GMT): two working hours are left that day; Friday 25 and Monday
    /// 28 December are bank holidays, with the weekend between.</summary>
    private static readonly DateTimeOffset ChristmasEve = new(2026, 12, 24, 15, 0, 0, TimeSpan.Zero);

    private async Task<NoticeScenario> ScenarioWithLeadsAsync(DateTimeOffset at)
    {
        var s = await NoticeScenario.CreateAsync(Engine, at);
        var admin = s.Get<UserAdminService>();
        foreach (var lead in new[] { "police.manager", "education.auditor", "health.manager" })
        {
            await admin.SetSafeguardingLeadAsync(Actor.System, s.Users[lead].UserId, true);
        }

        return s;
    }

    private static async Task<long> RaiseAsync(NoticeScenario s, string caseRef = "C-001")
    {
        var caseId = (await s.Get<IAuditRepository>().GetCasesAsync(s.AuditId)).Single(c => c.Ref == caseRef).Id;
        return await s.Get<ConcernService>().RaiseAsync(s.Users["police.auditor"], s.AuditId, caseId, Description, Told);
    }

    private static string To(MimeMessage m) => m.To.Mailboxes.Single().Address;

    [Fact]
    public async Task ARaisedConcern_TellsTheCasesLeadsAndTheScrutineers_OnceEach_WithoutItsDescription()
    {
        using var s = await ScenarioWithLeadsAsync(ChristmasEve);
        await s.Notices.RunPassAsync(Actor.System);
        var id = await RaiseAsync(s);

        var first = await s.Notices.RunPassAsync(Actor.System);
        var second = await s.Notices.RunPassAsync(Actor.System);
        s.Restart();
        var afterRestart = await s.Notices.RunPassAsync(Actor.System);

        var raised = s.Sink.Messages("concern-raised:");
        Assert.Equal(Told3, raised.Select(To).Order(StringComparer.Ordinal));
        Assert.Equal(3, first.Sent.Count(m => m.Kind == "concern-raised"));
        Assert.Equal((0, 0), (second.Queued, second.Sent.Count));
        Assert.Equal((0, 0), (afterRestart.Queued, afterRestart.Sent.Count));
        foreach (var message in raised)
        {
            Assert.Contains("case C-001", message.Subject);
            Assert.Contains("Escalation follow-up audit", message.Subject);
            Assert.Contains($"{NoticeScenario.PublicUrl}/concerns?audit={s.AuditId}", message.TextBody);
            Assert.Contains($"href=\"{NoticeScenario.PublicUrl}/concerns?audit={s.AuditId}\"", message.HtmlBody);
            foreach (var secret in new[] { "Heron-marked", "bruise", "strategy meeting", "kestrel team", "police.auditor" })
            {
                Assert.DoesNotContain(secret, message.Subject + message.TextBody + message.HtmlBody, StringComparison.OrdinalIgnoreCase);
            }
        }

        Assert.All(await s.OutboxAsync(), m => Assert.DoesNotContain("Heron-marked", m.TextBody + m.HtmlBody + m.Subject));
        Assert.NotEqual(0, id);
    }

    [Fact]
    public async Task AnUnacknowledgedConcern_IsNotifiedAgainAfterFourWorkingHours_NotCountingTheWeekendOrTheBankHolidays()
    {
        using var s = await ScenarioWithLeadsAsync(ChristmasEve);
        var waiting = await RaiseAsync(s, "C-001");
        var answered = await RaiseAsync(s, "C-002");

        async Task<int> EscalationsAtAsync(DateTimeOffset at)
        {
            s.Clock.Set(at);
            await s.Notices.RunPassAsync(Actor.System);
            return s.Sink.Messages("concern-reminder:").Count;
        }

        Assert.Equal(0, await EscalationsAtAsync(ChristmasEve.AddHours(1)));
        // Christmas Day, Boxing Day's Saturday, the Sunday and the substitute bank holiday on Monday 28 December: none of
        // them working hours, whatever the clock says (it is over 90 hours later by Monday evening).
        Assert.Equal(0, await EscalationsAtAsync(new DateTimeOffset(2026, 12, 25, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal(0, await EscalationsAtAsync(new DateTimeOffset(2026, 12, 26, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal(0, await EscalationsAtAsync(new DateTimeOffset(2026, 12, 28, 16, 0, 0, TimeSpan.Zero)));
        s.Clock.Set(new DateTimeOffset(2026, 12, 29, 10, 0, 0, TimeSpan.Zero));
        await s.Get<ConcernService>().AcknowledgeAsync(s.Users["police.manager"], answered);
        Assert.Equal(0, await EscalationsAtAsync(new DateTimeOffset(2026, 12, 29, 10, 59, 0, TimeSpan.Zero)));

        // Thursday 15:00-17:00 and Tuesday 09:00-11:00 make the four working hours.
        Assert.Equal(3, await EscalationsAtAsync(new DateTimeOffset(2026, 12, 29, 11, 0, 0, TimeSpan.Zero)));
        Assert.Equal(3, await EscalationsAtAsync(new DateTimeOffset(2026, 12, 29, 15, 0, 0, TimeSpan.Zero)));
        s.Restart();
        Assert.Equal(3, await EscalationsAtAsync(new DateTimeOffset(2026, 12, 30, 9, 0, 0, TimeSpan.Zero)));

        var escalated = s.Sink.Messages("concern-reminder:");
        Assert.Equal(Told3, escalated.Select(To).Order(StringComparer.Ordinal));
        Assert.All(escalated, m => Assert.Contains($"concern-{waiting}:", m.Headers["X-AuditTool-Reason"]));
        Assert.All(escalated, m => Assert.Contains("not been acknowledged after 4 working hours", m.TextBody));
        Assert.All(escalated, m => Assert.DoesNotContain("Heron-marked", m.Subject + m.TextBody + m.HtmlBody));
        // Each concern was announced once to each of the three, and no more.
        Assert.Equal(6, s.Sink.Messages("concern-raised:").Count);
    }

    [Fact]
    public async Task TheWorkingHoursSetting_IsRead_AndAnAcknowledgedConcernIsNeverEscalated()
    {
        using var s = await ScenarioWithLeadsAsync(ChristmasEve);
        s.Settings["AuditTool:Concerns:EscalateAfterWorkingHours"] = "1";
        s.Restart();
        await RaiseAsync(s);

        s.Clock.Set(ChristmasEve.AddMinutes(59));
        await s.Notices.RunPassAsync(Actor.System);
        Assert.Empty(s.Sink.Messages("concern-reminder:"));
        s.Clock.Set(ChristmasEve.AddHours(1));
        await s.Notices.RunPassAsync(Actor.System);
        Assert.Equal(3, s.Sink.Messages("concern-reminder:").Count);
        Assert.All(s.Sink.Messages("concern-reminder:"), m => Assert.Contains("after 1 working hours", m.TextBody));
    }
}

public sealed class ConcernNoticeTestsOnSqlite() : ConcernNoticeTests(DatabaseEngine.Sqlite);

public sealed class ConcernNoticeTestsOnPostgres() : ConcernNoticeTests(DatabaseEngine.Postgres);
