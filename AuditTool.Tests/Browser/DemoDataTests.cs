using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Security;
using AuditTool.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Tests.Browser;

/// <summary>The demo as the shared app seeded it: what its curated findings say agrees with the figures they cite.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoDataTests(BrowserFixture fixture)
{
    [Fact]
    public async Task TheDemoDeepDive_StrengthsCiteStrengths_AndDevelopmentAreasCiteDevelopmentAreas()
    {
        var services = fixture.App.Services;
        var user = (await services.GetRequiredService<IUserRepository>().GetByUserNameAsync("scrutineer"))!;
        var actor = new Actor(user.Id, user.UserName, user.Role, user.AgencyId);
        var audit = (await services.GetRequiredService<AuditPlanningService>().ListAsync(actor)).Single(a => a.Title == DemoAudits.DeepDiveTitle);
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
}
