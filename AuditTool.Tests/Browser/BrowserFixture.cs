using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

/// <summary>
/// One running app (hosted in-process) and one Chromium for all browser tests; each test gets its own browser context.
/// Every test waits on state, never on time: pages are opened with <see cref="GotoAsync"/>, which returns once the
/// page's Blazor circuit is interactive, and assertions use Playwright's auto-waiting <c>Expect</c>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string DemoPassword = "audit-demo-2026";

    private IPlaywright? _playwright;

    /// <summary>How long a state may take to appear on a busy machine; waits end as soon as it does.</summary>
    public const int PatienceMs = 30_000;

    public AppHost App { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ChromiumPath}. Run ./test.sh, which installs Debian's chromium package.");
        }

        App = await AppHost.StartAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchAsync(_playwright);
    }

    /// <summary>Debian's Chromium, headless, with the flags this closed network needs.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        // Expect(...) assertions poll until the state appears; give them the same patience as actions.
        Assertions.SetDefaultExpectTimeout(PatienceMs);
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"],
        });
    }

    public Task<IPage> NewPageAsync() => NewPageAsync(Browser, App.BaseUrl);

    public static async Task<IPage> NewPageAsync(IBrowser browser, string baseUrl)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl });
        context.SetDefaultTimeout(PatienceMs);
        context.SetDefaultNavigationTimeout(PatienceMs);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the real form and waits for the interactive start page.</summary>
    public Task<IPage> SignInAsync(string userName, string password = DemoPassword) => SignInAsync(Browser, App.BaseUrl, userName, password);

    public static async Task<IPage> SignInAsync(IBrowser browser, string baseUrl, string userName, string password = DemoPassword)
    {
        var page = await NewPageAsync(browser, baseUrl);
        await page.GotoAsync("/Account/SignIn");
        await SubmitSignInAsync(page, userName, password);
        await Assertions.Expect(page).ToHaveURLAsync(baseUrl + "/");
        await WaitForInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>
    /// Signs in an account whose role must use a second factor and has none yet: the password, then the set-up page, whose
    /// key the test reads off the screen and turns into a code as an authenticator app would; returns the page signed in
    /// and the recovery codes it showed.
    /// </summary>
    public static async Task<(IPage Page, IReadOnlyList<string> RecoveryCodes)> SignInSettingUpAuthenticatorAsync(IBrowser browser, string baseUrl,
        string userName, string password)
    {
        var page = await NewPageAsync(browser, baseUrl);
        await page.GotoAsync("/Account/SignIn");
        await SubmitSignInAsync(page, userName, password);
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/SecondFactorSetUp"));
        var key = (await page.GetByTestId("totp-key").TextContentAsync())!;
        await page.GetByLabel("Code from the app").FillAsync(TotpCode(key));
        await SubmitAndWaitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Confirm the app" }));
        var codes = await page.GetByTestId("recovery-codes").Locator("li").AllTextContentsAsync();
        await SubmitAndWaitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "I have kept my codes: continue" }));
        await Assertions.Expect(page).ToHaveURLAsync(baseUrl + "/");
        await WaitForInteractiveAsync(page);
        return (page, codes.Select(c => c.Trim()).ToList());
    }

    /// <summary>The code an authenticator app shows now for a key as the set-up page writes it (groups of four).</summary>
    public static string TotpCode(string key, DateTime? at = null) =>
        new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(key.Replace(" ", ""))).ComputeTotp(at ?? DateTime.UtcNow);

    /// <summary>Clicks a button of a plain (server-rendered) form and waits for the server's next page.</summary>
    public static async Task SubmitAndWaitAsync(IPage page, ILocator button)
    {
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLoad(object? sender, IPage loadedPage) => loaded.TrySetResult();
        page.Load += OnLoad;
        try
        {
            await button.ClickAsync();
            await loaded.Task.WaitAsync(TimeSpan.FromMilliseconds(PatienceMs));
        }
        finally
        {
            page.Load -= OnLoad;
        }
    }

    /// <summary>
    /// Fills and posts the sign-in page's plain HTML form and returns once the browser has loaded the server's answer
    /// (the next page's load event, listened for before the click). The page is static (no circuit, no interactive
    /// marker): waiting for the new page, not for an element, tells a new answer from the previous one (an error message
    /// of the last attempt is already on the page).
    /// </summary>
    public static async Task SubmitSignInAsync(IPage page, string userName, string password)
    {
        await page.GetByLabel("User name").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync(password);
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLoad(object? sender, IPage loadedPage) => loaded.TrySetResult();
        page.Load += OnLoad;
        try
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
            await loaded.Task.WaitAsync(TimeSpan.FromMilliseconds(PatienceMs));
        }
        finally
        {
            page.Load -= OnLoad;
        }
    }

    /// <summary>
    /// Opens an address of the app and returns once its Blazor circuit is interactive: the layout marks
    /// <c>main[data-interactive]</c> after its first interactive render, so clicks and typing reach the server.
    /// </summary>
    public static async Task GotoAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await WaitForInteractiveAsync(page);
    }

    /// <summary>
    /// Waits for the circuit of the page now shown (after a reload or a full navigation by the app) to be interactive.
    /// Navigations inside the circuit (links, NavigateTo) keep the layout and its marker: wait for the new page's content.
    /// </summary>
    public static Task WaitForInteractiveAsync(IPage page) =>
        Assertions.Expect(page.Locator("main[data-interactive='true']")).ToBeAttachedAsync();

    /// <summary>A date <paramref name="days"/> after today (UTC) as a date input takes it: a deadline the app does not question.</summary>
    public static string DaysAhead(int days) => DateTime.UtcNow.Date.AddDays(days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Loads an audit package into the running app's database with the import-audit verb; returns the audit id.</summary>
    public async Task<long> ImportAuditAsync(string packageJson)
    {
        var file = Path.Combine(App.Folder, $"package-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, packageJson);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AuditTool.Web.Cli.CommandLine.RunAsync(["import-audit", file, "--db", App.DatabasePath], stdout, stderr, TextReader.Null);
        Assert.True(code == 0, stderr.ToString());
        return long.Parse(stdout.ToString().Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A small open audit for browser tests: police and education return on each case; refs must be unique per test.</summary>
    public static string TestPackage(string title, params string[] caseRefs) => $$"""
        { "format": "audittool.audit/v1",
          "audit": { "title": "{{title}}", "kind": "multi-agency", "purpose": "Browser test", "sampleCriteria": "Hand picked",
                     "thresholds": { "strength": 0.8, "development": 0.6, "minimumCount": 5 }, "baselineTitle": null, "status": "open" },
          "template": { "format": "audittool.template/v1", "key": "browser-check", "version": 1, "title": "Browser check", "description": "",
            "scales": {},
            "sections": [ { "key": "practice", "title": "Practice", "guidance": "", "agencyKinds": [],
              "questions": [
                { "key": "seen-alone", "text": "Was the child seen alone?", "guidance": "Look for a record of direct work.", "type": "scale", "scale": "yes-partly-no", "required": true, "weight": 1, "themes": ["voice-of-child"] },
                { "key": "voice-recorded", "text": "Is the child's voice recorded in their own words?", "guidance": "", "type": "scale", "scale": "yes-partly-no", "required": true, "weight": 1, "themes": ["voice-of-child"], "showIf": { "question": "seen-alone", "in": ["yes", "partly"] } },
                { "key": "days-to-escalation", "text": "How many days passed before the concern was escalated?", "guidance": "", "type": "number", "required": false, "weight": 1, "themes": [] },
                { "key": "overall", "text": "Overall, how good was this agency's practice?", "guidance": "", "type": "scale", "scale": "ofsted4", "required": true, "weight": 2, "themes": ["lived-experience"] } ] } ] },
          "agencies": [ { "key": "police", "name": "Cleveland Police", "kind": "police" }, { "key": "education", "name": "Schools and Education Services", "kind": "education" } ],
          "cases": [ {{string.Join(", ", caseRefs.Select(r => $$"""{ "ref": "{{r}}", "attributes": {} }"""))}} ],
          "returns": [ {{string.Join(", ", caseRefs.SelectMany(r => new[] { $$"""{ "case": "{{r}}", "agency": "police", "status": "not-started", "answers": {}, "evidence": {} }""", $$"""{ "case": "{{r}}", "agency": "education", "status": "not-started", "answers": {}, "evidence": {} }""" }))}} ],
          "moderation": [], "findings": [], "actions": [] }
        """;

    /// <summary>The same audit in moderation, every return submitted: police grade well, education less well.</summary>
    public static string ModerationPackage(string title, params string[] caseRefs)
    {
        var json = TestPackage(title, caseRefs).Replace("\"status\": \"open\"", "\"status\": \"moderation\"");
        foreach (var r in caseRefs)
        {
            json = json
                .Replace($$"""{ "case": "{{r}}", "agency": "police", "status": "not-started", "answers": {}, "evidence": {} }""",
                    $$"""{ "case": "{{r}}", "agency": "police", "status": "submitted", "answers": { "seen-alone": "yes", "voice-recorded": "yes", "days-to-escalation": 3, "overall": "good" }, "evidence": { "overall": "Secret evidence {{r}}" } }""")
                .Replace($$"""{ "case": "{{r}}", "agency": "education", "status": "not-started", "answers": {}, "evidence": {} }""",
                    $$"""{ "case": "{{r}}", "agency": "education", "status": "submitted", "answers": { "seen-alone": "no", "overall": "requires-improvement" }, "evidence": {} }""");
        }

        return json;
    }

    /// <summary>The rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA: the public sector's bar (as an independent check runs them).</summary>
    public static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

    /// <summary>
    /// axe-core violations of impact serious or critical among the WCAG 2.2 A and AA rules, described for a failure
    /// message, and the colour contrast axe could not decide (text over pseudo-elements or images), measured by pixels.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SeriousAxeViolationsAsync(IPage page)
    {
        var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. WcagTags] } });
        return result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(" | ", v.Nodes.Select(n => $"{n.Target} {Snippet(n.Html)}"))}")
            .Concat(await PixelContrast.FailuresAsync(page, result))
            .ToList();
    }

    // The element as axe saw it, so a failure names what to fix even when its id is generated.
    private static string Snippet(string? html) => html is null ? "" : html.Length <= 240 ? html : html[..240] + "…";

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
