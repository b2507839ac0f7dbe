using System.Diagnostics;
using System.Text.RegularExpressions;
using AuditTool.Tests.Support;
using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

/// <summary>
/// The app as a partnership installs it: <c>dotnet publish -c Release</c>, then the published executable run in
/// Production with <c>dotnet AuditTool.Web.dll --db FILE</c>. It must serve Blazor's and Radzen's scripts and styles
/// (MapStaticAssets), take <c>--db</c>, refuse options it does not know, and its Radzen controls must work.
/// </summary>
public sealed class PublishedAppFixture : IAsyncLifetime
{
    public string Folder { get; } = AppServer.NewFolder();

    public string PublishFolder => Path.Combine(Folder, "publish");

    public string Dll => Path.Combine(PublishFolder, "AuditTool.Web.dll");

    public async Task InitializeAsync()
    {
        var project = Path.Combine(RepoPaths.Root, "AuditTool.Web", "AuditTool.Web.csproj");
        var (code, output) = await RunAsync("dotnet", ["publish", project, "-c", "Release", "-o", PublishFolder, "--nologo"], RepoPaths.Root);
        Assert.True(code == 0, "dotnet publish failed:\n" + output);
    }

    /// <summary>Runs a command to its end; returns the exit code and everything it printed.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> args, string workingDirectory, string? stdin = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteLineAsync(stdin);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }
}

[Collection(BrowserCollection.Name)]
public sealed class PublishedAppTests(BrowserFixture browser, PublishedAppFixture published) : IClassFixture<PublishedAppFixture>
{
    private const string Password = "published-build-check-2026";

    [Fact]
    public async Task PublishedBuild_InProduction_ServesRadzenAndBlazor_AndItsRadzenControlsWork()
    {
        var db = Path.Combine(published.Folder, "served.db");
        var (created, createOutput) = await PublishedAppFixture.RunAsync("dotnet",
            [published.Dll, "create-user", "--db", db, "--username", "chief", "--role", "administrator", "--display-name", "Chief administrator", "--password-stdin"],
            published.PublishFolder, Password);
        Assert.True(created == 0, createOutput);

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = published.PublishFolder };
        start.ArgumentList.Add(published.Dll);
        start.ArgumentList.Add("--db");
        start.ArgumentList.Add(db);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // As behind the README's TLS proxy that redirects plain HTTP itself (this test speaks HTTP on loopback).
        start.Environment["AuditTool__HttpsRedirect"] = "false";
        await using var server = await AppServer.StartAsync(start, published.Folder);

        // Styles and scripts, found as the sign-in page names them (fingerprinted where MapStaticAssets does so).
        using var http = new HttpClient();
        var signIn = await http.GetStringAsync(server.BaseUrl + "/Account/SignIn");
        var assets = Regex.Matches(signIn, "(?:src|href)=\"([^\"]+\\.(?:js|css)[^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Contains(assets, a => a.Contains("_framework/blazor.web", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.StartsWith("_content/Radzen.Blazor/Radzen.Blazor.js", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.StartsWith("_content/Radzen.Blazor/css/material", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.StartsWith("app", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            var response = await http.GetAsync($"{server.BaseUrl}/{asset.TrimStart('/')}");
            Assert.True(response.IsSuccessStatusCode, $"{asset}: {(int)response.StatusCode}");
        }

        // The account made with the verb on that --db file signs in: the server serves the file --db names.
        // Outside Development an administrator must use a second factor: set up at the first sign-in, as a person would.
        var (page, _) = await BrowserFixture.SignInSettingUpAuthenticatorAsync(browser.Browser, server.BaseUrl, "chief", Password);
        await BrowserFixture.GotoAsync(page, "/admin/users");
        var agency = page.Locator("label[for='user-agency']");
        var role = page.Locator(".rz-dropdown").Filter(new() { Has = page.Locator("input[name='user-role']") });

        // A Radzen drop-down: it opens (Radzen's script), and each choice reaches the server (the agency field follows).
        await ChooseAsync(page, role, "Independent scrutineer");
        await Assertions.Expect(agency).ToHaveCountAsync(0);
        await ChooseAsync(page, role, "Agency auditor");
        await Assertions.Expect(agency).ToBeVisibleAsync();
        await page.Context.CloseAsync();
        Assert.True(File.Exists(db));
    }

    /// <summary>
    /// Opens the drop-down and waits for its list (shown by Radzen's script), then clicks the option in place. A pointer
    /// click would first scroll the option into view and hit-test it: on a loaded machine the list was still being placed,
    /// the click met the card under it, and Radzen closes its list when the page scrolls, so the option never came back.
    /// </summary>
    private static async Task ChooseAsync(IPage page, ILocator dropDown, string option)
    {
        await dropDown.ClickAsync();
        var item = page.GetByRole(AriaRole.Option, new() { Name = option });
        await Assertions.Expect(item).ToBeVisibleAsync();
        await item.DispatchEventAsync("click");
    }

    [Fact]
    public async Task PublishedServer_RefusesAnOptionItDoesNotKnow()
    {
        var (code, output) = await PublishedAppFixture.RunAsync("dotnet", [published.Dll, "--frobnicate", "yes"], published.PublishFolder);

        Assert.Equal(2, code);
        Assert.Contains("unknown option '--frobnicate'", output);
        Assert.Contains("--db PATH", output);
    }
}
