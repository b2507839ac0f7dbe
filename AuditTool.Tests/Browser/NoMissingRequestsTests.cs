using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

/// <summary>Loading a page asks for nothing the app does not have: no 404 (the favicon included).</summary>
[Collection(BrowserCollection.Name)]
public class NoMissingRequestsTests(BrowserFixture fixture)
{
    [Fact]
    public async Task TheStartPage_HasAFavicon_AndNoRequestGets404()
    {
        var page = await fixture.NewPageAsync();
        var missing = new List<string>();
        page.Response += (_, response) =>
        {
            if (response.Status == 404)
            {
                lock (missing)
                {
                    missing.Add(response.Url);
                }
            }
        };
        await page.GotoAsync("/Account/SignIn");
        await BrowserFixture.SubmitSignInAsync(page, "police.auditor", BrowserFixture.DemoPassword);
        await BrowserFixture.WaitForInteractiveAsync(page);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var icon = await page.Locator("link[rel=icon]").GetAttributeAsync("href");
        Assert.NotNull(icon);
        var response = await page.Context.APIRequest.GetAsync(icon!.StartsWith('/') ? icon : "/" + icon);
        Assert.Equal(200, response.Status);
        lock (missing)
        {
            Assert.True(missing.Count == 0, "404: " + string.Join(", ", missing));
        }

        await page.Context.CloseAsync();
    }
}
