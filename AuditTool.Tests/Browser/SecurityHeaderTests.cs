using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class SecurityHeaderTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData("/Account/SignIn")]
    [InlineData("/health")]
    [InlineData("/")]
    public async Task EveryResponse_CarriesTheSecurityHeaders(string path)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        var response = await http.GetAsync(fixture.App.BaseUrl + path);

        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task ThePolicy_LetsBlazorAndRadzenWork_WithNoViolation()
    {
        var violations = new ConcurrentBag<string>();
        var page = await fixture.SignInAsync("scrutineer");
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };

        await BrowserFixture.GotoAsync(page, "/templates/versions/1");
        await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Preview" })).ToBeVisibleAsync();
        await BrowserFixture.GotoAsync(page, "/reports/1");
        await Assertions.Expect(page.GetByTestId("agency-chart").Locator("svg").First).ToBeVisibleAsync();
        await BrowserFixture.GotoAsync(page, "/audits/2");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Sample" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("cohort-summary")).ToBeVisibleAsync();

        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ErrorsOutsideDevelopment_ShowNoDetail()
    {
        // Plain HTTP on loopback, as behind a TLS proxy that redirects to HTTPS itself.
        await using var production = await AppHost.StartAsync(new Dictionary<string, string> { ["AuditTool:HttpsRedirect"] = "false" },
            environment: "Production");
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        var missing = await http.GetAsync(production.BaseUrl + "/templates/versions/abc/download");
        var signIn = await http.GetStringAsync(production.BaseUrl + "/Account/SignIn");

        Assert.DoesNotContain("Exception", await missing.Content.ReadAsStringAsync());
        Assert.DoesNotContain("demo-panel", signIn); // production seeds nothing and says nothing of demo accounts
    }
}
