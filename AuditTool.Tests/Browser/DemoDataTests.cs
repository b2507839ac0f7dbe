using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Security;
using AuditTool.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

/// <summary>
/// The demo as the shared app seeded it: what its curated findings say agrees with the figures they cite, and its three
/// audits are one partnership's history that hangs together (dates, template, baseline, actions done and overdue).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoDataTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData(DemoAudits.DeepDiveTitle)]
    [InlineData(DemoAudits.FollowUpTitle)]
    public async Task TheDemosPublishedAudits_StrengthsCiteStrengths_AndDevelopmentAreasCiteDevelopmentAreas(string title)
    {
        var services = fixture.App.Services;
        var actor = await ScrutineerAsync(services);
        var audit = (await services.GetRequiredService<AuditPlanningService>().ListAsync(actor)).Single(a => a.Title == title);
        var figures = (await services.GetRequiredService<FiguresService>().GetAsync(actor, audit.Id)).Figures;
        var findings = await services.GetRequiredService<FindingsService>().GetFindingsAsync(actor, audit.Id);

        Assert.Contains(findings, f => f.Kind == "strength");
        Assert.Contains(findings, f => f.Kind == "development");
        var problems = new List<string>();
        foreach (var finding in findings)
        {
            var expected = finding.Kind == "strength" ? Classification.Strength : Classification.DevelopmentArea;
            foreach (var key in finding.QuestionKeys)
            {
                var question = figures.Questions.Single(q => q.Key == key);
                if (question.Classification != expected)
                {
                    problems.Add($"{finding.Kind} “{finding.Title}” cites {key} at {question.PositiveRate:P0} ({question.Classification})");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task TheDemo_IsADeepDive_ItsSixMonthFollowUpOnTheSameTemplate_AndALaterAnnualAudit_DatedInOrder()
    {
        var services = fixture.App.Services;
        var actor = await ScrutineerAsync(services);
        var repository = services.GetRequiredService<IAuditRepository>();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var deepDive = (await repository.GetByIdAsync(1))!;
        var annual = (await repository.GetByIdAsync(2))!;
        var followUp = (await repository.GetByIdAsync(3))!;
        Assert.Equal([DemoAudits.DeepDiveTitle, DemoAudits.AnnualTitle, DemoAudits.FollowUpTitle], new[] { deepDive.Title, annual.Title, followUp.Title });

        // The deep dive closed about two and a half years ago and was published three weeks later.
        Assert.Equal(AuditStatuses.Published, deepDive.Status);
        Assert.InRange(deepDive.Deadline!.Value.DayNumber, today.AddMonths(-31).DayNumber, today.AddMonths(-29).DayNumber);
        Assert.Equal(deepDive.Deadline.Value.AddDays(21), DateOnly.FromDateTime(deepDive.PublishedUtc!.Value.UtcDateTime));
        Assert.Equal(deepDive.PublishedUtc, deepDive.CreatedUtc);

        // Its follow-up six months later: the same template, the deep dive as its baseline, published after its own deadline.
        Assert.Equal(AuditKinds.FollowUp, followUp.Kind);
        Assert.Equal(AuditStatuses.Published, followUp.Status);
        Assert.Equal(deepDive.TemplateVersionId, followUp.TemplateVersionId);
        Assert.Equal(deepDive.Id, followUp.BaselineAuditId);
        Assert.Equal(deepDive.Deadline.Value.AddMonths(6).Month, followUp.Deadline!.Value.Month);
        Assert.InRange(followUp.Deadline.Value.DayNumber - deepDive.Deadline.Value.DayNumber, 180, 186);
        Assert.True(followUp.PublishedUtc > deepDive.PublishedUtc);
        Assert.Equal(followUp.Deadline.Value.AddDays(21), DateOnly.FromDateTime(followUp.PublishedUtc!.Value.UtcDateTime));

        // This year's annual audit is on another template (so no baseline), open, and due ahead.
        Assert.Equal(AuditKinds.MultiAgency, annual.Kind);
        Assert.Equal(AuditStatuses.Open, annual.Status);
        Assert.Null(annual.BaselineAuditId);
        Assert.NotEqual(deepDive.TemplateVersionId, annual.TemplateVersionId);
        Assert.True(annual.Deadline > today);

        // Nothing in the history is dated after today, and every return of a past audit came in before it was published.
        foreach (var past in new[] { deepDive, followUp })
        {
            var returns = await repository.GetReturnsAsync(past.Id);
            Assert.NotEmpty(returns);
            Assert.All(returns, r => Assert.True(r.SubmittedUtc <= past.PublishedUtc, $"{r.CaseRef} submitted {r.SubmittedUtc}, published {past.PublishedUtc}"));
        }

        // Actions: some done, some overdue (due in the past and not done), some still ahead.
        var findings = services.GetRequiredService<FindingsService>();
        var actions = (await findings.GetActionsAsync(actor, deepDive.Id)).Concat(await findings.GetActionsAsync(actor, followUp.Id)).ToList();
        Assert.Contains(actions, a => a.Status == ActionStatuses.Done && a.DueDate < today);
        Assert.Contains(actions, a => a.IsOverdue(today));
        Assert.Contains(actions, a => a.DueDate > today && a.Status != ActionStatuses.Done);
        // A done action was due after its audit reported (planned then, not backdated).
        Assert.All(actions.Where(a => a.Status == ActionStatuses.Done),
            a => Assert.True(a.DueDate > DateOnly.FromDateTime(deepDive.PublishedUtc.Value.UtcDateTime), a.Description));
    }

    [Fact]
    public async Task TheDemoFollowUp_ShowsTheDeepDivesEscalationFindingImproved_AndExploitationStillADevelopmentArea()
    {
        var services = fixture.App.Services;
        var actor = await ScrutineerAsync(services);
        var figures = services.GetRequiredService<FiguresService>();
        var before = (await figures.GetAsync(actor, 1)).Figures;
        var after = (await figures.GetAsync(actor, 3)).Figures;
        foreach (var key in DemoAudits.ImprovedQuestions)
        {
            Assert.Equal(Classification.DevelopmentArea, before.Questions.Single(q => q.Key == key).Classification);
            Assert.Equal(Classification.Strength, after.Questions.Single(q => q.Key == key).Classification);
        }

        Assert.Equal(Classification.DevelopmentArea, after.Questions.Single(q => q.Key == "exploitation-risk-recognised").Classification);
    }

    [Fact]
    public async Task TheFollowUpsReport_ComparesWithTheDeepDive_AndMarksTheActionsPastTheirDueDate()
    {
        // An app of its own, so no other test has touched the demo's actions.
        await using var app = await AppHost.StartAsync();
        var template = (await app.Services.GetRequiredService<AuditTool.Domain.Templates.ITemplateRepository>()
            .GetVersionAsync((await app.Services.GetRequiredService<IAuditRepository>().GetByIdAsync(3))!.TemplateVersionId))!;
        var escalation = template.Questions.Single(q => q.Key == "escalation-procedure-used").Text;
        var page = await BrowserFixture.SignInAsync(fixture.Browser, app.BaseUrl, "executive");
        await BrowserFixture.GotoAsync(page, "/reports/3");

        var baseline = page.GetByTestId("baseline");
        await Assertions.Expect(baseline.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveTextAsync($"Compared with the baseline: {DemoAudits.DeepDiveTitle}");
        var row = baseline.GetByTestId("baseline-questions").Locator("tbody tr").Filter(new() { Has = page.Locator("th", new() { HasTextString = escalation }) });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        var cells = await row.Locator("td").AllInnerTextsAsync();
        int Points(string pct) => int.Parse(pct.TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Points(cells[0]) < 60 && Points(cells[1]) >= 80 && cells[2].StartsWith('+'), string.Join(" | ", cells));
        Assert.Equal(Points(cells[1]) - Points(cells[0]), int.Parse(cells[2], System.Globalization.CultureInfo.InvariantCulture), 1.0);

        // The deep dive's screening action, long past due and still in progress, is among the baseline's open actions,
        // marked overdue in words; its done actions are not there.
        var still = baseline.GetByTestId("baseline-actions");
        var screening = still.Locator("tbody tr").Filter(new() { HasTextString = "exploitation screening" });
        await Assertions.Expect(screening.Locator(".overdue-mark")).ToBeVisibleAsync();
        await Assertions.Expect(screening.Locator(".overdue-mark")).ToHaveTextAsync("overdue");
        await Assertions.Expect(still).Not.ToContainTextAsync("Deliver briefings");
        // The follow-up's own actions: the overdue one marked, the done one not.
        var own = page.GetByTestId("actions");
        await Assertions.Expect(own.Locator("tbody tr").Filter(new() { HasTextString = "missing-episode" }).Locator(".overdue-mark")).ToBeVisibleAsync();
        await Assertions.Expect(own.Locator("tbody tr").Filter(new() { HasTextString = "Share the follow-up" }).Locator(".overdue-mark")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    private static async Task<Actor> ScrutineerAsync(IServiceProvider services)
    {
        var user = (await services.GetRequiredService<IUserRepository>().GetByUserNameAsync("scrutineer"))!;
        return new Actor(user.Id, user.UserName, user.Role, user.AgencyId);
    }
}
