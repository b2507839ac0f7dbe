using System.Diagnostics;
using AuditTool.Data;
using AuditTool.Tests.Support;
using AuditTool.Web.Hosting;
using Dapper;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AuditTool.Tests.Browser;

/// <summary>
/// Two app processes on one PostgreSQL database, as a region would run them behind a load balancer: started at the same
/// moment they seed the demo once; a cookie issued by one is accepted by the other; an answer saved through one appears
/// on a page served by the other without a reload; an export is downloaded from the server that made it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SeveralServersTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task TwoServersOnOneDatabase_SeedOnce_ShareSignIn_AndShowEachOthersAnswersLive()
    {
        var database = PostgresServer.Instance.CreateDatabase("servers");
        var folder = AppServer.NewFolder();
        var starting = new[] { StartAsync(database, folder), StartAsync(database, folder) };
        AppServer[] servers;
        try
        {
            servers = await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
            {
                await (await started).DisposeAsync();
            }

            PostgresServer.Instance.DropDatabase(database);
            throw;
        }

        await using var a = servers[0];
        await using var b = servers[1];
        try
        {
            // Both ran first-run work at once on an empty database: it happened once.
            using (var factory = new ConnectionFactory(DatabaseTarget.Parse(database, folder)))
            using (var connection = factory.Open())
            {
                Assert.Equal(FirstRun.DemoAccounts.Count, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM users"));
                Assert.Equal(FirstRun.DemoAgencies.Count, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM agencies"));
                Assert.Equal(Directory.GetFiles(RepoPaths.Templates, "*.json").Length, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM templates"));
                // The demo's three audits (the deep dive, the annual audit, the follow-up), once.
                Assert.Equal(3, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM audits"));
            }

            var package = Path.Combine(folder, "servers.json");
            await File.WriteAllTextAsync(package, BrowserFixture.TestPackage("Two servers", "SV-001"));
            Assert.Equal(0, await AuditTool.Web.Cli.CommandLine.RunAsync(["import-audit", package, "--db", database], new StringWriter(), new StringWriter(), TextReader.Null));

            // Signed in on A; the same browser (the same cookie) opens the return on B.
            var onA = await BrowserFixture.SignInAsync(browser.Browser, a.BaseUrl, "police.auditor");
            await onA.GetByTestId("return-link-SV-001").ClickAsync();
            await onA.WaitForURLAsync("**/returns/*");
            await BrowserFixture.WaitForInteractiveAsync(onA);
            var path = new Uri(onA.Url).AbsolutePath;
            var onB = await onA.Context.NewPageAsync();
            await BrowserFixture.GotoAsync(onB, b.BaseUrl + path);
            await Assertions.Expect(onB.GetByTestId("signed-in-user")).ToContainTextAsync("police.auditor");
            Assert.StartsWith(b.BaseUrl, onB.Url);

            // An answer saved through B appears on A, with no reload, within two seconds of B confirming the save.
            await onB.Locator("[data-question='seen-alone']").GetByLabel("Partly").CheckAsync();
            await Assertions.Expect(onB.GetByTestId("saved-seen-alone")).ToBeVisibleAsync();
            var clock = Stopwatch.StartNew();
            await Assertions.Expect(onA.Locator("[data-question='seen-alone']").GetByLabel("Partly")).ToBeCheckedAsync(new() { Timeout = 2_000 });
            output.WriteLine($"Answer saved on B shown on A after {clock.ElapsedMilliseconds} ms.");
            // The condition follows too, and the other way round.
            await Assertions.Expect(onA.Locator("[data-question='voice-recorded']")).ToBeVisibleAsync(new() { Timeout = 2_000 });
            await onA.Locator("[data-question='seen-alone']").GetByLabel("No", new() { Exact = true }).CheckAsync();
            await Assertions.Expect(onB.Locator("[data-question='seen-alone']").GetByLabel("No", new() { Exact = true })).ToBeCheckedAsync(new() { Timeout = 2_000 });
            await onA.Context.CloseAsync();
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
            PostgresServer.Instance.DropDatabase(database);
        }
    }

    [Fact]
    public async Task AnExport_IsDownloadedFromTheServerThatMadeIt_AndTheOtherSaysWhy()
    {
        var database = PostgresServer.Instance.CreateDatabase("exports");
        var folder = AppServer.NewFolder();
        await using var a = await StartAsync(database, folder);
        await using var b = await StartAsync(database, folder);
        try
        {
            var page = await BrowserFixture.SignInAsync(browser.Browser, a.BaseUrl, "scrutineer");
            await BrowserFixture.GotoAsync(page, "/audits/1");
            // One click: the workbook downloads by itself from the server that made it.
            var download = await page.RunAndWaitForDownloadAsync(
                () => page.GetByRole(AriaRole.Button, new() { Name = "Export to Excel" }).ClickAsync(),
                new() { Timeout = BrowserFixture.PatienceMs });
            var href = await page.GetByTestId("export-link").GetAttributeAsync("href");
            Assert.Equal(a.BaseUrl + href, download.Url);
            Assert.Equal((byte)'P', (await File.ReadAllBytesAsync(await download.PathAsync()))[0]); // a zip: the workbook

            var elsewhere = await page.Context.APIRequest.GetAsync(b.BaseUrl + href);
            Assert.Equal(404, elsewhere.Status);
            Assert.Contains("sticky sessions", await elsewhere.TextAsync());
            await page.Context.CloseAsync();
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
            PostgresServer.Instance.DropDatabase(database);
        }
    }

    [Fact]
    public async Task SigningOutThroughOneServer_EndsTheSessionOnTheOther_AndItsOpenPageLeaves()
    {
        var database = PostgresServer.Instance.CreateDatabase("signout");
        var folder = AppServer.NewFolder();
        // Open pages re-check their session once an hour here: only the news between servers can take the page away.
        await using var a = await StartAsync(database, folder, revalidationSeconds: 3600);
        await using var b = await StartAsync(database, folder, revalidationSeconds: 3600);
        try
        {
            var onA = await BrowserFixture.SignInAsync(browser.Browser, a.BaseUrl, "police.auditor");
            var onB = await onA.Context.NewPageAsync();
            await BrowserFixture.GotoAsync(onB, b.BaseUrl + "/");
            await Assertions.Expect(onB.GetByTestId("signed-in-user")).ToContainTextAsync("police.auditor");
            var cookie = (await onA.Context.CookiesAsync()).Single(c => c.Name == "audittool.auth").Value;

            var clock = Stopwatch.StartNew();
            await onA.GetByTestId("sign-out").ClickAsync();
            await Assertions.Expect(onA).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/SignIn"));

            await Assertions.Expect(onB).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/SignIn"), new() { Timeout = 20_000 });
            output.WriteLine($"The page on the other server left {clock.ElapsedMilliseconds} ms after signing out.");
            using var replay = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
            using var request = new HttpRequestMessage(HttpMethod.Get, b.BaseUrl + "/Account/KeepAlive");
            request.Headers.Add("Cookie", $"audittool.auth={cookie}");
            Assert.NotEqual(System.Net.HttpStatusCode.NoContent, (await replay.SendAsync(request)).StatusCode);
            await onA.Context.CloseAsync();
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
            PostgresServer.Instance.DropDatabase(database);
        }
    }

    private static Task<AppServer> StartAsync(string database, string folder, int? revalidationSeconds = null)
    {
        var start = AppServer.BuiltExecutable("--db", database);
        if (revalidationSeconds is { } seconds)
        {
            start.Environment["AuditTool__RevalidationSeconds"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return AppServer.StartAsync(start, folder);
    }
}
