using AuditTool.Data;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Notices;
using AuditTool.Domain.Security;
using AuditTool.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using static AuditTool.Tests.Notices.NoticeScenario;

namespace AuditTool.Tests.Notices;

/// <summary>
/// Reminders and notices end to end: the real services on a real database (both engines), a clock the test moves, and
/// a real SMTP server (aiosmtpd) on loopback receiving what is sent.
/// </summary>
public abstract class NoticeTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    private const string Police = "police.auditor@police.example.org";
    private const string Health = "health.auditor@health.example.org";
    private const string Health2 = "health.auditor2@health.example.org";
    private const string Education = "education.auditor@schools.example.org";
    private const string SocialCare = "social-care.auditor@council.example.org";
    private const string PoliceManager = "police.manager@police.example.org";

    private static readonly string[] AllCases = ["C-001", "C-002", "C-003"];

    private const string ConcernDescription = "Wren-marked injury seen on the file, no strategy meeting held";
    private const string ConcernTold = "Plover duty team";

    [Fact]
    public async Task OpenAuditDueInThreeDays_TellsEachAuditorWithAnAddressOnce_NamingTheirCases_AndASecondPassOrARestartSendsNothing()
    {
        using var s = await CreateAsync(Engine, DaysBeforeDeadline(3));

        var first = await s.Notices.RunPassAsync(Actor.System);

        Assert.Null(first.Skipped);
        var messages = s.Sink.Messages();
        var byAddress = messages.GroupBy(To).ToDictionary(g => g.Key, g => g.ToList());
        // Police, health and education have returns outstanding; social care has none; police.auditor2 has no address;
        // education.auditor2 is disabled; managers, the scrutineer and the administrator are not auditors.
        Assert.Equal(Sorted(Education, Health, Health2, Police), byAddress.Keys.Order(StringComparer.Ordinal));
        Assert.All(byAddress.Values, list => Assert.Single(list));
        Assert.Equal(4, first.Sent.Count);
        AssertNamesCases(byAddress[Police][0], AllCases);
        AssertNamesCases(byAddress[Education][0], AllCases);
        // C-002's health return names health.auditor2 as its auditor; the others are for every health auditor.
        AssertNamesCases(byAddress[Health][0], ["C-001", "C-003"]);
        AssertNamesCases(byAddress[Health2][0], AllCases);
        foreach (var message in messages)
        {
            Assert.Contains("Escalation follow-up audit", message.Subject);
            Assert.Contains("20 March 2027", message.TextBody);
            Assert.Contains($"{PublicUrl}/returns/", message.TextBody);
            Assert.Contains($"href=\"{PublicUrl}/returns/", message.HtmlBody);
        }

        var second = await s.Notices.RunPassAsync(Actor.System);
        s.Restart();
        var afterRestart = await s.Notices.RunPassAsync(Actor.System);

        Assert.Equal((0, 0), (second.Queued, second.Sent.Count));
        Assert.Equal((0, 0), (afterRestart.Queued, afterRestart.Sent.Count));
        Assert.Equal(4, s.Sink.Messages().Count);
        Assert.All(await s.OutboxAsync(), m => Assert.Equal(OutboxStatuses.Sent, m.Status));
    }

    [Fact]
    public async Task Reminders_ComeOnTheirDays_OncePerPersonAndDay_ThenTheManagersHearOfWhatIsOverdue()
    {
        using var s = await CreateAsync(Engine, DaysBeforeDeadline(10));
        Assert.Equal(4, (await PassAtAsync(s, DaysBeforeDeadline(10))).Sent.Count); // the opening notices

        Assert.Empty((await PassAtAsync(s, DaysBeforeDeadline(8))).Sent);
        var sevenDays = await PassAtAsync(s, DaysBeforeDeadline(7, hour: 0));
        Assert.Equal(Sorted(Education, Health, Health2, Police), sevenDays.Sent.Select(m => m.To).Order(StringComparer.Ordinal));
        Assert.All(sevenDays.Sent, m => Assert.Equal(NoticeKinds.Reminder, m.Kind));
        Assert.Empty((await PassAtAsync(s, DaysBeforeDeadline(7, hour: 23))).Sent);
        Assert.Empty((await PassAtAsync(s, DaysBeforeDeadline(3))).Sent);

        // Education submits everything: it is reminded of nothing more.
        foreach (var caseRef in AllCases)
        {
            Assert.True((await s.Get<ReturnService>().SubmitAsync(s.Users["education.auditor"], await s.ReturnIdAsync(caseRef, "education"))).Submitted);
        }

        var oneDay = await PassAtAsync(s, DaysBeforeDeadline(1));
        Assert.Equal(Sorted(Health, Health2, Police), oneDay.Sent.Select(m => m.To).Order(StringComparer.Ordinal));
        Assert.Contains("(tomorrow)", s.Sink.Messages("reminder:").Single(m => To(m) == Police && (m.TextBody ?? "").Contains("tomorrow")).TextBody);
        Assert.Empty((await PassAtAsync(s, DaysBeforeDeadline(0))).Sent);

        // After the deadline: the police manager hears of police's returns (the health manager has no address);
        // auditors are not reminded any more.
        var overdue = await PassAtAsync(s, DaysBeforeDeadline(-1));
        var toManager = Assert.Single(overdue.Sent);
        Assert.Equal((PoliceManager, NoticeKinds.OverdueReturns), (toManager.To, toManager.Kind));
        var managerMessage = Assert.Single(s.Sink.Messages("overdue-returns:"));
        AssertNamesCases(managerMessage, AllCases);
        Assert.Contains("Cleveland Police", managerMessage.Subject);
        Assert.Empty((await PassAtAsync(s, DaysBeforeDeadline(-2))).Sent);
        Assert.Empty((await PassAtAsync(s, DaysBeforeDeadline(-9))).Sent);

        var reasons = s.Sink.Messages().Select(m => m.Headers["X-AuditTool-Reason"]).ToList();
        Assert.Equal(reasons.Count, reasons.Distinct().Count());
        Assert.Equal(4 + 4 + 3 + 1, reasons.Count);
    }

    [Fact]
    public async Task AServerDownOnTheReminderDay_SendsThatReminderLate_Once_AndNeverTwoAtOnce()
    {
        using var s = await CreateAsync(Engine, DaysBeforeDeadline(10));
        await PassAtAsync(s, DaysBeforeDeadline(10));

        // Nothing ran from day 10 to day 3: the 7-day reminder is sent late, alone.
        var late = await PassAtAsync(s, DaysBeforeDeadline(3));
        Assert.Equal(4, late.Sent.Count);
        Assert.All(await s.OutboxAsync(), m => Assert.DoesNotContain(":days-1", m.ReasonKey));
        Assert.Equal(4, (await s.OutboxAsync()).Count(m => m.ReasonKey.EndsWith(":days-7", StringComparison.Ordinal)));
        Assert.All(s.Sink.Messages("reminder:"), m => Assert.Contains("(in 3 days)", m.TextBody));

        Assert.Equal(4, (await PassAtAsync(s, DaysBeforeDeadline(1))).Sent.Count);
    }

    [Fact]
    public async Task AnAuditOpenedThreeDaysBeforeTheDeadline_GetsNoSevenDayReminder_TheOpeningNoticeSaidIt()
    {
        using var s = await CreateAsync(Engine, DaysBeforeDeadline(3));
        await PassAtAsync(s, DaysBeforeDeadline(3));

        Assert.Empty((await PassAtAsync(s, DaysBeforeDeadline(2))).Sent);
        Assert.Equal(4, (await PassAtAsync(s, DaysBeforeDeadline(1))).Sent.Count);
        Assert.DoesNotContain(await s.OutboxAsync(), m => m.ReasonKey.EndsWith(":days-7", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AReturnSentBackForAmendment_TellsItsAuditorTheCaseAndTheComment_OncePerSendingBack()
    {
        using var s = await CreateAsync(Engine, DaysBeforeDeadline(10));
        await PassAtAsync(s, DaysBeforeDeadline(10));
        var returnId = await s.ReturnIdAsync("C-002", "social-care");
        var returns = s.Get<ReturnService>();

        await returns.ReturnForAmendmentAsync(s.Scrutineer, returnId, "Add the date of the strategy meeting.");
        var pass = await PassAtAsync(s, DaysBeforeDeadline(9));

        var told = Assert.Single(pass.Sent);
        Assert.Equal((SocialCare, NoticeKinds.Amendment), (told.To, told.Kind));
        var message = Assert.Single(s.Sink.Messages("amendment:"));
        Assert.Contains("C-002", message.Subject);
        Assert.Contains("Add the date of the strategy meeting.", message.TextBody);
        Assert.Contains($"{PublicUrl}/returns/{returnId}", message.TextBody);
        Assert.DoesNotContain("C-001", message.TextBody);
        Assert.Empty((await PassAtAsync(s, DaysBeforeDeadline(9, hour: 12))).Sent);
        // The administrators' outbox shows that the notice went, never the comment it carried (case content).
        var outbox = await s.Get<NoticeService>().SearchOutboxAsync(s.Users["admin"], new OutboxQuery(null, NoticeKinds.Amendment, null, 0, 50));
        Assert.Contains(outbox.Messages, m => m.Subject.Contains("C-002"));
        Assert.All(outbox.Messages, m => Assert.DoesNotContain("strategy meeting", m.TextBody + m.HtmlBody + m.Subject));

        // Amended, submitted, and sent back a second time: a second notice with the new comment.
        Assert.True((await returns.SubmitAsync(s.Users["social-care.auditor"], returnId)).Submitted);
        await returns.ReturnForAmendmentAsync(s.Scrutineer, returnId, "Now say who chaired it.");
        var again = await PassAtAsync(s, DaysBeforeDeadline(8));

        Assert.Equal(NoticeKinds.Amendment, Assert.Single(again.Sent).Kind);
        Assert.Equal(2, s.Sink.Messages("amendment:").Count);
        Assert.Contains(s.Sink.Messages("amendment:"), m => (m.TextBody ?? "").Contains("Now say who chaired it."));
    }

    [Fact]
    public async Task OverdueActions_TellTheOwningAgencysManagers_AtMostOnceAWeek()
    {
        using var s = await CreateAsync(Engine, DaysBeforeDeadline(10));
        var findings = s.Get<FindingsService>();
        var police = s.Agencies["police"];
        await findings.AddActionAsync(s.Scrutineer, s.AuditId, new ActionInput("Review the escalation log monthly", police, Deadline.AddDays(-5), ActionStatuses.Open, null));
        await findings.AddActionAsync(s.Scrutineer, s.AuditId, new ActionInput("Train the front desk", police, Deadline.AddDays(-6), ActionStatuses.Done, null));
        await findings.AddActionAsync(s.Scrutineer, s.AuditId, new ActionInput("Publish the new protocol", police, Deadline.AddDays(20), ActionStatuses.Open, null));
        await findings.AddActionAsync(s.Scrutineer, s.AuditId, new ActionInput("Health action", s.Agencies["health"], Deadline.AddDays(-5), ActionStatuses.InProgress, null));

        await PassAtAsync(s, DaysBeforeDeadline(5)); // due today: not overdue yet
        Assert.Empty(s.Sink.Messages("overdue-actions:"));

        await PassAtAsync(s, DaysBeforeDeadline(4));
        var first = Assert.Single(s.Sink.Messages("overdue-actions:"));
        Assert.Equal(PoliceManager, To(first));
        Assert.Contains("Review the escalation log monthly", first.TextBody);
        Assert.Contains("15 March 2027", first.TextBody);
        Assert.DoesNotContain("Train the front desk", first.TextBody);
        Assert.DoesNotContain("Publish the new protocol", first.TextBody);
        Assert.DoesNotContain("Health action", first.TextBody);
        Assert.Contains($"{PublicUrl}/actions", first.TextBody);

        await PassAtAsync(s, DaysBeforeDeadline(1));
        await PassAtAsync(s, DaysBeforeDeadline(-2, hour: 8)); // 6 days 23 hours after the first
        Assert.Single(s.Sink.Messages("overdue-actions:"));
        await PassAtAsync(s, DaysBeforeDeadline(-3));
        await PassAtAsync(s, DaysBeforeDeadline(-3, hour: 18));
        Assert.Equal(2, s.Sink.Messages("overdue-actions:").Count);
    }

    [Fact]
    public async Task SmtpDown_MessagesStayInTheOutboxAsFailed_AreRetriedWithBackOff_AndNothingIsLost()
    {
        using var s = await CreateAsync(Engine, DaysBeforeDeadline(3), smtpRunning: false);

        var down = await s.Notices.RunPassAsync(Actor.System);

        Assert.Empty(down.Sent);
        Assert.Equal(4, down.Failed.Count);
        Assert.All(down.Failed, f => Assert.True(f.WillRetry));
        Assert.All(await s.OutboxAsync(), m =>
        {
            Assert.Equal((OutboxStatuses.Failed, 1), (m.Status, m.Attempts));
            Assert.Contains("could not be used", m.LastError);
            Assert.Equal(s.Clock.GetUtcNow() + NoticeService.BackOff[0], m.NextAttemptUtc);
        });

        // Nothing else breaks: auditors carry on, and the next pass before the back-off tries nothing.
        await s.Get<ReturnService>().SaveAnswerAsync(s.Users["police.auditor"], await s.ReturnIdAsync("C-001", "police"), "days", "12");
        s.Clock.Advance(TimeSpan.FromSeconds(30));
        var tooSoon = await s.Notices.RunPassAsync(Actor.System);
        Assert.Equal((0, 0), (tooSoon.Sent.Count, tooSoon.Failed.Count));

        await s.Sink.StartAgainAsync();
        s.Clock.Advance(TimeSpan.FromMinutes(1));
        var up = await s.Notices.RunPassAsync(Actor.System);

        Assert.Equal(4, up.Sent.Count);
        Assert.Equal(Sorted(Education, Health, Health2, Police), s.Sink.Messages().Select(To).Order(StringComparer.Ordinal));
        Assert.All(await s.OutboxAsync(), m => Assert.Equal((OutboxStatuses.Sent, 2), (m.Status, m.Attempts)));
        Assert.Empty((await s.Notices.RunPassAsync(Actor.System)).Sent);
        Assert.Equal(4, s.Sink.Messages().Count);
    }

    [Fact]
    public async Task AfterTheLastTry_AMessageWaitsForAnAdministrator_WhoRetriesIt_AndASentMessageIsNeverSentAgain()
    {
        using var s = await CreateAsync(Engine, DaysBeforeDeadline(3), smtpRunning: false);
        await s.Notices.RunPassAsync(Actor.System);
        foreach (var wait in NoticeService.BackOff)
        {
            s.Clock.Advance(wait);
            Assert.Equal(4, (await s.Notices.RunPassAsync(Actor.System)).Failed.Count);
        }

        var admin = s.Users["admin"];
        var dead = (await s.Notices.SearchOutboxAsync(admin, new OutboxQuery(OutboxStatuses.Dead, null, null, 0, 50))).Messages;
        Assert.Equal(4, dead.Count);
        Assert.All(dead, m => Assert.Equal(NoticeService.MaxAttempts, m.Attempts));
        Assert.All(dead, m => Assert.StartsWith($"Given up after {NoticeService.MaxAttempts} tries", m.LastError));
        s.Clock.Advance(TimeSpan.FromDays(1));
        await s.Sink.StartAgainAsync();
        Assert.Empty((await s.Notices.RunPassAsync(Actor.System)).Sent); // given up: not retried by itself

        var retried = await s.Notices.RetryAsync(admin, dead[0].Id);

        Assert.Equal(OutboxStatuses.Sent, retried.Status);
        Assert.Equal(dead[0].ReasonKey, Assert.Single(s.Sink.Messages()).Headers["X-AuditTool-Reason"]);
        var refused = await Assert.ThrowsAsync<DomainValidationException>(() => s.Notices.RetryAsync(admin, dead[0].Id));
        Assert.Contains("never sent twice", refused.Message);
        Assert.Single(s.Sink.Messages());
    }

    [Fact]
    public async Task AMessageLeftHalfSentByAStoppedServer_IsInDoubt_AndNeverSentAgainByItself()
    {
        using var s = await CreateAsync(Engine, DaysBeforeDeadline(3), smtpRunning: false);
        await s.Notices.RunPassAsync(Actor.System);
        var outbox = s.Get<IOutboxRepository>();
        var victim = (await s.OutboxAsync())[0];
        s.Clock.Advance(TimeSpan.FromMinutes(2));
        // A sender claimed this one and stopped before it could say how the SMTP conversation ended.
        Assert.True(await outbox.ClaimAsync(victim.Id, s.Clock.GetUtcNow()));
        Assert.False(await outbox.ClaimAsync(victim.Id, s.Clock.GetUtcNow()));

        await s.Sink.StartAgainAsync();
        var soon = await s.Notices.RunPassAsync(Actor.System);
        Assert.Equal(3, soon.Sent.Count);
        s.Clock.Advance(NoticeService.InDoubtAfter + TimeSpan.FromMinutes(1));
        var later = await s.Notices.RunPassAsync(Actor.System);

        Assert.Equal(1, later.InDoubt);
        var after = await outbox.GetByIdAsync(victim.Id);
        Assert.Equal(OutboxStatuses.Dead, after!.Status);
        Assert.StartsWith("In doubt", after.LastError);
        Assert.DoesNotContain(s.Sink.Messages(), m => m.Headers["X-AuditTool-Reason"] == victim.ReasonKey);
    }

    [Fact]
    public async Task TwoServersRunningThePassAtOnce_SendEachMessageOnce()
    {
        using var s = await CreateAsync(Engine, DaysBeforeDeadline(10));
        using var other = s.NewServer();
        var results = new List<NoticePassResult>();
        foreach (var at in new[] { DaysBeforeDeadline(10), DaysBeforeDeadline(7), DaysBeforeDeadline(1), DaysBeforeDeadline(-1) })
        {
            s.Clock.Set(at);
            results.AddRange(await Task.WhenAll(
                Task.Run(() => s.Notices.RunPassAsync(Actor.System)),
                Task.Run(() => other.GetRequiredService<NoticeService>().RunPassAsync(Actor.System))));
        }

        var reasons = s.Sink.Messages().Select(m => m.Headers["X-AuditTool-Reason"]).ToList();
        Assert.Equal(4 + 4 + 4 + 1, reasons.Count);
        Assert.Equal(reasons.Count, reasons.Distinct().Count());
        Assert.Equal(reasons.Count, results.Sum(r => r.Sent.Count));
        Assert.Equal(reasons.Count, (await s.OutboxAsync()).Count);
    }

    [Fact]
    public async Task NoMessage_CarriesAnAnswerAnEvidenceNoteOrAName()
    {
        using var s = await CreateAsync(Engine, DaysBeforeDeadline(10));
        var findings = s.Get<FindingsService>();
        await findings.AddActionAsync(s.Scrutineer, s.AuditId, new ActionInput("Review the escalation log monthly", s.Agencies["police"],
            Deadline.AddDays(-8), ActionStatuses.Open, null));
        // A safeguarding concern left unacknowledged: announced, then notified again after four working hours.
        await s.Get<UserAdminService>().SetSafeguardingLeadAsync(Actor.System, s.Users["police.manager"].UserId, true);
        var concernCase = (await s.Get<IAuditRepository>().GetCasesAsync(s.AuditId)).First().Id;
        await s.Get<AuditTool.Domain.Concerns.ConcernService>().RaiseAsync(s.Users["police.auditor"], s.AuditId, concernCase,
            ConcernDescription, ConcernTold);
        await PassAtAsync(s, DaysBeforeDeadline(10));
        await s.Get<ReturnService>().ReturnForAmendmentAsync(s.Scrutineer, await s.ReturnIdAsync("C-003", "social-care"), "Please add the strategy meeting date.");
        foreach (var days in new[] { 9, 7, 1, -1 })
        {
            await PassAtAsync(s, DaysBeforeDeadline(days));
        }

        var outbox = await s.OutboxAsync();
        // Every kind the reminders pass sends (the test message, the accounts notice and the retention notice have their own tests).
        Assert.Equal(NoticeKinds.All.Where(k => k is not (NoticeKinds.Test or NoticeKinds.AccountsDisabled or NoticeKinds.RetentionDue)).Order(), outbox.Select(m => m.Kind).Distinct().Order());
        var forbidden = await ForbiddenTextsAsync(s);
        Assert.True(forbidden.Count >= 27, $"Only {forbidden.Count} answers and notes to look for.");
        var texts = outbox.SelectMany(m => new[] { m.Subject, m.TextBody, m.HtmlBody })
            .Concat(s.Sink.Messages().SelectMany(m => new[] { m.Subject ?? "", m.TextBody ?? "", m.HtmlBody ?? "" }))
            .ToList();
        Assert.Equal(outbox.Count, s.Sink.Messages().Count);
        foreach (var text in texts)
        {
            foreach (var secret in forbidden)
            {
                Assert.False(text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"A message carries \"{secret}\":\n{text}");
            }
        }
    }

    [Fact]
    public async Task WithoutAnSmtpHost_NothingIsWrittenOrSent_AndTheAdministratorIsTold()
    {
        using var s = await CreateAsync(Engine, DaysBeforeDeadline(3));
        using var unconfigured = s.NewServer(new Dictionary<string, string?> { ["AuditTool:PublicUrl"] = PublicUrl });
        var notices = unconfigured.GetRequiredService<NoticeService>();
        var admin = s.Users["admin"];

        var result = await notices.RunPassAsync(Actor.System);

        Assert.Equal(NoticePassResult.NotConfigured, result.Skipped);
        Assert.Empty(await s.OutboxAsync());
        Assert.False((await notices.GetStatusAsync(admin)).Configured);
        var refused = await Assert.ThrowsAsync<DomainValidationException>(() => notices.SendTestAsync(admin, "admin@partnership.example.org"));
        Assert.Contains("No SMTP host is set", refused.Message);
        Assert.Empty(await s.OutboxAsync());
        Assert.Empty(s.Sink.Messages());
    }

    [Fact]
    public async Task ATestMessage_GoesThroughTheOutbox_ToTheGivenAddress_AndABadAddressChangesNothing()
    {
        using var s = await CreateAsync(Engine, DaysBeforeDeadline(3));
        var admin = s.Users["admin"];
        Assert.Equal("admin@partnership.example.org", (await s.Notices.GetStatusAsync(admin)).YourEmail);

        var bad = await Assert.ThrowsAsync<DomainValidationException>(() => s.Notices.SendTestAsync(admin, "not an address"));
        Assert.Contains("is not an e-mail address", bad.Message);
        Assert.Empty(await s.OutboxAsync());

        var sent = await s.Notices.SendTestAsync(admin, " someone@partnership.example.org ");

        Assert.Equal((OutboxStatuses.Sent, NoticeKinds.Test, "someone@partnership.example.org"), (sent.Status, sent.Kind, sent.To));
        var received = Assert.Single(s.Sink.Messages());
        Assert.Equal("AuditTool test message", received.Subject);
        Assert.Equal("audit@partnership.example.org", received.From.Mailboxes.Single().Address);
        Assert.Equal("auto-generated", received.Headers["Auto-Submitted"]);
        Assert.NotNull(received.HtmlBody);
    }

    [Fact]
    public async Task AccountAddresses_AreCheckedAndStored_AndABadOneChangesNothing()
    {
        using var s = await CreateAsync(Engine, DaysBeforeDeadline(3));
        var users = s.Get<UserAdminService>();
        var admin = s.Users["admin"];
        var police2 = s.Users["police.auditor2"].UserId;

        foreach (var bad in new[] { "police2", "police2@localhost", "two@@example.org", "a b@example.org", "Bob <bob@example.org>", ".dot@example.org" })
        {
            var refused = await Assert.ThrowsAsync<DomainValidationException>(() => users.SetEmailAsync(admin, police2, bad));
            Assert.Contains("is not an e-mail address", refused.Message);
        }

        var created = await Assert.ThrowsAsync<DomainValidationException>(() => users.CreateAsync(admin,
            new NewUser("new.auditor", "New", Role.Auditor, s.Agencies["police"], "correct-horse-battery", "new-at-example.org")));
        Assert.Contains("is not an e-mail address", created.Message);
        Assert.Null(await s.Get<IUserRepository>().GetByUserNameAsync("new.auditor"));
        Assert.Null((await s.Get<IUserRepository>().GetByIdAsync(police2))!.Email);

        await users.SetEmailAsync(admin, police2, "  police2@police.example.org ");
        Assert.Equal("police2@police.example.org", (await users.GetAllAsync(admin)).Single(u => u.Id == police2).Email);
        await PassAtAsync(s, DaysBeforeDeadline(3));
        Assert.Contains(s.Sink.Messages(), m => To(m) == "police2@police.example.org");

        await users.SetEmailAsync(admin, police2, "");
        Assert.Null((await s.Get<IUserRepository>().GetByIdAsync(police2))!.Email);
    }

    private static async Task<NoticePassResult> PassAtAsync(NoticeScenario s, DateTimeOffset at)
    {
        s.Clock.Set(at);
        var result = await s.Notices.RunPassAsync(Actor.System);
        Assert.Null(result.Skipped);
        Assert.Empty(result.Failed);
        return result;
    }

    private static IReadOnlyList<string> Sorted(params string[] addresses) => addresses.Order(StringComparer.Ordinal).ToList();

    private static string To(MimeMessage message) => message.To.Mailboxes.Single().Address;

    private static void AssertNamesCases(MimeMessage message, IReadOnlyList<string> cases)
    {
        foreach (var caseRef in AllCases)
        {
            Assert.True(cases.Contains(caseRef) == (message.TextBody ?? "").Contains($"Case {caseRef}", StringComparison.Ordinal),
                $"{caseRef} expected {cases.Contains(caseRef)} in:\n{message.TextBody}");
            Assert.True(cases.Contains(caseRef) == (message.HtmlBody ?? "").Contains($"Case {caseRef}", StringComparison.Ordinal),
                $"{caseRef} expected {cases.Contains(caseRef)} in:\n{message.HtmlBody}");
        }
    }

    /// <summary>Every answer value, the label of every option answered, every evidence note, every person's name.</summary>
    private static async Task<IReadOnlyList<string>> ForbiddenTextsAsync(NoticeScenario s)
    {
        var labels = Template.Scales.SelectMany(kv => kv.Value).ToDictionary(o => o.Value, o => o.Label);
        var forbidden = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ConcernDescription, ConcernTold, "Wren-marked" };
        foreach (var answers in (await s.Get<IAuditRepository>().GetAnswersByAuditAsync(s.AuditId)).Values)
        {
            foreach (var answer in answers)
            {
                if (answer.Value is { } value)
                {
                    forbidden.Add(value);
                    if (labels.TryGetValue(value, out var label))
                    {
                        forbidden.Add(label);
                    }
                }

                if (answer.Evidence is { } evidence)
                {
                    forbidden.Add(evidence);
                }
            }
        }

        foreach (var user in await s.Get<IUserRepository>().GetAllAsync())
        {
            forbidden.Add(user.DisplayName);
        }

        return forbidden.ToList();
    }
}

public sealed class NoticeTestsOnSqlite() : NoticeTests(DatabaseEngine.Sqlite);

public sealed class NoticeTestsOnPostgres() : NoticeTests(DatabaseEngine.Postgres);
