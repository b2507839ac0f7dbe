using System.Security.Claims;
using AuditTool.Domain.Audits;
using AuditTool.Web.Auth;
using AuditTool.Web.Components.Layout;
using AuditTool.Web.Components.Pages;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using Radzen;

namespace AuditTool.Tests.Web;

public class ComponentTests : BunitContext
{
    public ComponentTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddRadzenComponents();
    }

    [Fact]
    public void AuditList_ShowsEachAuditWithItsProgress()
    {
        IReadOnlyList<AuditSummary> audits =
        [
            new(1, "Step-down to Early Help follow-up", AuditKinds.FollowUp, AuditStatuses.Open, "Step-down", new DateOnly(2026, 12, 1), 12, 48, 30, null),
            new(2, "Disengagement from education deep dive", AuditKinds.DeepDive, AuditStatuses.Planning, "Education", null, 0, 0, 0, null),
        ];

        var cut = Render<AuditList>(p => p.Add(c => c.Audits, audits).Add(c => c.Empty, "none"));

        var rows = cut.FindAll("tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("Step-down to Early Help follow-up", rows[0].TextContent);
        Assert.Equal("/reports/1", rows[0].QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("Follow-up audit", rows[0].TextContent);
        Assert.Contains("30 of 48", rows[0].TextContent);
        Assert.Contains("Deep dive", rows[1].TextContent);
        Assert.DoesNotContain("none", cut.Markup);
    }

    [Fact]
    public void AuditList_WhenEmpty_ShowsTheEmptyText()
    {
        var cut = Render<AuditList>(p => p.Add(c => c.Audits, []).Add(c => c.Empty, "No reports have been published yet."));

        Assert.Equal("No reports have been published yet.", cut.Find("[data-testid=audits-empty]").TextContent);
    }

    [Theory]
    [InlineData("administrator", new[] { "Start", "Users", "Agencies", "Audit log", "Outbox", "Your account" })]
    [InlineData("scrutineer", new[] { "Start", "Audits", "Concerns", "Calibration", "Templates", "Reports", "Trends", "Audit log", "Your account" })]
    [InlineData("executive", new[] { "Start", "Reports", "Trends", "Your account" })]
    [InlineData("manager", new[] { "Start", "Reports", "Trends", "Actions", "Concerns", "Your account" })]
    public void NavMenu_ShowsTheLinksOfTheSignedInRole(string role, string[] expected)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("someone");
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, "7"), new Claim(ClaimTypes.Role, role));

        var cut = Render<NavMenu>();

        var links = cut.FindAll(".rz-navigation-item-text").Select(e => e.TextContent.Trim()).ToList();
        Assert.Equal(expected, links);
    }

    [Fact]
    public void NavMenu_SignedOut_ShowsNothing()
    {
        AddAuthorization();

        var cut = Render<NavMenu>();

        Assert.Empty(cut.FindAll(".rz-navigation-item-text"));
    }
}
