using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using AuditTool.Data;
using AuditTool.Tests.Browser;
using AuditTool.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Xunit.Abstractions;

namespace AuditTool.Tests.Security;

/// <summary>
/// Every routable page and download endpoint, asked for over HTTP by each role (and by someone signed out), against
/// the role matrix of PRODUCT.md. A page with no explicit authorization rule, or missing from the matrix, fails.
/// </summary>
[Collection(BrowserCollection.Name)]
public partial class PageAccessMatrixTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private const string Anyone = "anyone";
    private const string SignedIn = "signed-in";

    /// <summary>Who may open each page. "signed-in" is every role; "anyone" includes the signed out.</summary>
    private static readonly Dictionary<string, string[]> Matrix = new()
    {
        ["/"] = [SignedIn],
        ["/Account/SignIn"] = [Anyone],
        ["/Account/SecondFactor"] = [Anyone],
        ["/Account/SecondFactorSetUp"] = [Anyone],
        ["/Account/AccessDenied"] = [SignedIn],
        ["/Error"] = [Anyone],
        ["/admin/users"] = ["admin"],
        ["/admin/agencies"] = ["admin"],
        ["/admin/audit-log"] = ["admin", "scrutineer"],
        ["/admin/outbox"] = ["admin"],
        ["/templates"] = ["scrutineer"],
        ["/templates/versions/{VersionId:long}"] = ["scrutineer"],
        ["/templates/{TemplateId:long}/history"] = ["scrutineer"],
        ["/audits"] = ["scrutineer"],
        ["/audits/new"] = ["scrutineer"],
        ["/audits/{AuditId:long}"] = ["scrutineer"],
        ["/audits/{AuditId:long}/moderation"] = ["scrutineer"],
        ["/audits/{AuditId:long}/findings"] = ["scrutineer"],
        ["/returns/{ReturnId:long}"] = ["police.auditor", "education.auditor", "scrutineer", "manager"],
        ["/reports"] = ["scrutineer", "manager", "executive"],
        ["/reports/{AuditId:long}"] = ["scrutineer", "manager", "executive"],
        ["/actions"] = ["manager"],
        ["/concerns"] = ["police.auditor", "education.auditor", "scrutineer", "manager"],
        ["/calibration"] = ["police.auditor", "education.auditor", "scrutineer"],
        ["/calibration/{Id:long}"] = ["police.auditor", "education.auditor", "scrutineer"],
        ["/trends"] = ["scrutineer", "manager", "executive"],
        ["/data-protection"] = ["scrutineer", "admin"],
        ["/my-account"] = [SignedIn],
        // File endpoints (not pages): checked the same way.
        ["/templates/versions/1/download"] = ["scrutineer"],
        ["/audits/1/package"] = ["scrutineer"],
        ["/data-protection/case-file?ref=C-001"] = ["scrutineer"],
        // Audit 2 is the demo's open annual audit: the police workbook is the police auditor's and the scrutineer's.
        ["/audits/2/workbooks/police"] = ["police.auditor", "scrutineer"],
        ["/exports/no-such-job"] = ["scrutineer", "manager"],
        ["/admin/sign-in-report.xlsx"] = ["admin"],
        ["/reports/1/document"] = ["scrutineer", "manager", "executive"],
        ["/health"] = [Anyone],
        ["/Account/KeepAlive"] = [SignedIn],
    };

    private static readonly string[] Users = ["admin", "scrutineer", "police.auditor", "education.auditor", "manager", "executive"];

    public static IEnumerable<Type> RoutablePages() => typeof(AuditTool.Web.Hosting.AuditToolHost).Assembly.GetTypes()
        .Where(t => typeof(IComponent).IsAssignableFrom(t) && t.GetCustomAttributes<RouteAttribute>().Any());

    [Fact]
    public void EveryRoutablePage_HasAnExplicitRule_ThatMatchesTheMatrix()
    {
        var problems = new List<string>();
        foreach (var page in RoutablePages())
        {
            var authorize = page.GetCustomAttributes<AuthorizeAttribute>().ToList();
            var anonymous = page.GetCustomAttribute<AllowAnonymousAttribute>() is not null;
            foreach (var route in page.GetCustomAttributes<RouteAttribute>().Select(r => r.Template))
            {
                if (!Matrix.TryGetValue(route, out var allowed))
                {
                    problems.Add($"{route} ({page.Name}) is not in the access matrix.");
                    continue;
                }

                if (authorize.Count == 0 && !anonymous)
                {
                    problems.Add($"{route} ({page.Name}) has no [Authorize] or [AllowAnonymous].");
                }
                else if (allowed.Contains(Anyone) != anonymous)
                {
                    problems.Add($"{route} ({page.Name}): anonymous access is {(anonymous ? "allowed" : "refused")}, the matrix says otherwise.");
                }
                else if (!anonymous)
                {
                    var roles = authorize.SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)).ToHashSet();
                    var expected = allowed.Contains(SignedIn) ? new HashSet<string>() : allowed.Select(RoleOf).ToHashSet();
                    if (!roles.SetEquals(expected))
                    {
                        problems.Add($"{route} ({page.Name}) allows [{string.Join(",", roles)}], the matrix [{string.Join(",", expected)}].");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task EveryPageAndDownload_AnswersEachRoleAsTheMatrixSays(DatabaseEngine engine)
    {
        // SQLite: the shared app. PostgreSQL: the same app on a database of the tests' PostgreSQL server, demo seeded.
        var database = engine == DatabaseEngine.Postgres ? PostgresServer.Instance.CreateDatabase("matrix") : null;
        await using var own = database is null ? null : await AppHost.StartAsync(new Dictionary<string, string> { ["AuditTool:Database"] = database });
        var baseUrl = own?.BaseUrl ?? fixture.App.BaseUrl;
        var returnId = await PoliceReturnIdAsync(baseUrl);
        var clients = new Dictionary<string, HttpClient> { ["signed-out"] = NewClient(baseUrl) };
        foreach (var user in Users)
        {
            clients[user] = await SignedInClientAsync(baseUrl, user);
        }

        var problems = new List<string>();
        var cells = 0;
        foreach (var (route, allowed) in Matrix)
        {
            var path = RouteParameter().Replace(route, m => m.Groups[1].Value == "ReturnId" ? returnId.ToString() : "1");
            foreach (var (who, client) in clients)
            {
                cells++;
                var response = await client.GetAsync(path);
                var location = response.Headers.Location?.ToString() ?? string.Empty;
                var mayEnter = allowed.Contains(Anyone) || (who != "signed-out" && (allowed.Contains(SignedIn) || allowed.Contains(who)));
                var entered = response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized);
                if (mayEnter != entered)
                {
                    problems.Add($"{path} as {who}: {(int)response.StatusCode} {location} (expected {(mayEnter ? "allowed" : "refused")})");
                }
                else if (!entered && who == "signed-out" && !location.Contains("/Account/SignIn"))
                {
                    problems.Add($"{path} signed out: sent to {location}, not to sign in");
                }
                else if (!entered && who != "signed-out" && !location.Contains("/Account/AccessDenied") && response.StatusCode != HttpStatusCode.Forbidden)
                {
                    problems.Add($"{path} as {who}: sent to {location}, not to the refusal page");
                }
            }
        }

        output.WriteLine($"{engine}: {Matrix.Count} pages and endpoints x {clients.Count} roles = {cells} cells checked over HTTP.");
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private async Task<long> PoliceReturnIdAsync(string baseUrl)
    {
        var page = await BrowserFixture.SignInAsync(fixture.Browser, baseUrl, "police.auditor");
        var href = await page.Locator("a[data-testid^='return-link-']").First.GetAttributeAsync("href");
        await page.Context.CloseAsync();
        return long.Parse(href!.Split('/').Last());
    }

    private static HttpClient NewClient(string baseUrl) => new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
    {
        BaseAddress = new Uri(baseUrl),
    };

    private static async Task<HttpClient> SignedInClientAsync(string baseUrl, string user)
    {
        var client = NewClient(baseUrl);
        var form = await client.GetStringAsync("/Account/SignIn");
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        var response = await client.PostAsync("/Account/SignIn", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = user,
            ["Input.Password"] = BrowserFixture.DemoPassword,
        }));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{user} could not sign in over HTTP: {(int)response.StatusCode}");
        return client;
    }

    private static string RoleOf(string user) => user switch
    {
        "admin" => "administrator",
        "police.auditor" or "education.auditor" => "auditor",
        _ => user,
    };

    [GeneratedRegex("\\{(\\w+)(:\\w+)?\\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
