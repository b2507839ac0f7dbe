using System.Diagnostics;
using AuditTool.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AuditTool.Tests.Browser;

/// <summary>
/// Soak: 25 real browser sessions complete returns at once against the running app for 5 minutes (SOAK_MINUTES to
/// change it), each clicking answers and typing evidence like an auditor. It reports lost or duplicated answers (must
/// be 0), the 95th percentile time from a click to "saved" on the page, and the server's memory per open session.
/// Not part of ./test.sh; run it with:
///   dotnet test AuditTool.Tests --filter Category=Soak --logger "console;verbosity=detailed"
/// </summary>
[Trait("Category", "Soak")]
public class SoakTest(ITestOutputHelper output)
{
    private const int Sessions = 25;

    [Fact]
    public async Task TwentyFiveSessions_FiveMinutes_LoseNothing()
    {
        var minutes = double.TryParse(Environment.GetEnvironmentVariable("SOAK_MINUTES"), out var m) ? m : 5;
        await using var app = await AppServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFixture.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        });
        var refs = Enumerable.Range(1, Sessions).Select(i => $"SK-{i:000}").ToArray();
        var file = Path.Combine(app.Folder, "soak.json");
        await File.WriteAllTextAsync(file, BrowserFixture.TestPackage("Soak", refs));
        Assert.Equal(0, await AuditTool.Web.Cli.CommandLine.RunAsync(["import-audit", file, "--db", app.DatabasePath], new StringWriter(), new StringWriter(), TextReader.Null));
        var server = Process.GetProcesses().Single(p => p.ProcessName == "AuditTool.Web" && p.StartTime > DateTime.Now.AddMinutes(-2) && CommandLineHas(p, app.BaseUrl));
        server.Refresh();
        var before = server.WorkingSet64;

        var pages = new List<IPage>();
        foreach (var r in refs)
        {
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl });
            context.SetDefaultTimeout(60_000);
            var page = await context.NewPageAsync();
            await page.GotoAsync("/Account/SignIn");
            await page.GetByLabel("User name").FillAsync("police.auditor");
            await page.GetByLabel("Password").FillAsync(BrowserFixture.DemoPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
            await page.GetByTestId($"return-link-{r}").ClickAsync();
            await page.GetByTestId("save-state").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            pages.Add(page);
        }

        await Task.Delay(2000);
        server.Refresh();
        var open = server.WorkingSet64;
        var latencies = new List<double>();
        var expected = new Dictionary<(string Case, string Key), string>();
        var until = DateTime.UtcNow.AddMinutes(minutes);
        string[] grades = ["Outstanding", "Good", "Requires improvement", "Inadequate"];
        await Task.WhenAll(pages.Select((page, i) => Task.Run(async () =>
        {
            var step = 0;
            while (DateTime.UtcNow < until)
            {
                var seen = step % 2 == 0 ? "Yes" : "Partly";
                var grade = grades[step % grades.Length];
                foreach (var (key, label) in new[] { ("seen-alone", seen), ("voice-recorded", step % 3 == 0 ? "No" : "Yes"), ("overall", grade) })
                {
                    var option = page.Locator($"[data-question='{key}']").GetByLabel(label, new() { Exact = true });
                    if (await option.IsCheckedAsync())
                    {
                        continue; // no change, nothing to save
                    }

                    var saves = int.Parse(await page.GetByTestId("save-state").GetAttributeAsync("data-saves") ?? "0");
                    var clock = Stopwatch.StartNew();
                    await option.CheckAsync();
                    await page.WaitForFunctionAsync($"() => Number(document.querySelector('[data-testid=save-state]').dataset.saves) > {saves}");
                    lock (latencies)
                    {
                        latencies.Add(clock.Elapsed.TotalMilliseconds);
                        expected[(refs[i], key)] = Value(key, label);
                    }
                }

                var evidence = page.Locator("[id='evidence-overall']");
                await evidence.FillAsync($"Soak note {step} for {refs[i]}");
                await evidence.BlurAsync();
                lock (latencies)
                {
                    expected[(refs[i], "overall#evidence")] = $"Soak note {step} for {refs[i]}";
                }

                step++;
            }
        })));
        await Task.Delay(1500);

        using var connection = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=false");
        var stored = connection.Query<(string Case, string Key, string? Value, string? Evidence)>("""
            SELECT c.ref, q.key, a.value, a.evidence FROM answers a JOIN template_questions q ON q.id = a.question_id JOIN agency_returns r ON r.id = a.return_id
            JOIN audit_cases c ON c.id = r.case_id JOIN audits au ON au.id = r.audit_id JOIN agencies g ON g.id = r.agency_id
            WHERE au.title = 'Soak' AND g.key = 'police'
            """).ToList();
        var duplicates = stored.Count - stored.Select(x => (x.Case, x.Key)).Distinct().Count();
        var lost = expected.Count(e => e.Key.Key.EndsWith("#evidence")
            ? stored.All(x => !(x.Case == e.Key.Case && x.Key == "overall" && x.Evidence == e.Value))
            : stored.All(x => !(x.Case == e.Key.Case && x.Key == e.Key.Key && x.Value == e.Value)));
        var sorted = latencies.Order().ToList();
        var p95 = sorted[(int)(sorted.Count * 0.95)];
        var perSession = (open - before) / (double)Sessions / 1024 / 1024;
        output.WriteLine($"{Sessions} sessions for {minutes} min: {sorted.Count} answer saves, {lost} lost, {duplicates} duplicated; " +
                         $"click-to-saved median {sorted[sorted.Count / 2]:F0} ms, p95 {p95:F0} ms; server working set {before / 1024 / 1024} MB before, " +
                         $"{open / 1024 / 1024} MB with the sessions open: {perSession:F1} MB per session.");
        Assert.Equal(0, lost);
        Assert.Equal(0, duplicates);
        foreach (var page in pages)
        {
            await page.Context.CloseAsync();
        }
    }

    private static string Value(string key, string label) => key == "overall"
        ? label.ToLowerInvariant().Replace(' ', '-')
        : label.ToLowerInvariant();

    private static bool CommandLineHas(Process p, string text)
    {
        try
        {
            return File.ReadAllText($"/proc/{p.Id}/cmdline").Contains(text);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
