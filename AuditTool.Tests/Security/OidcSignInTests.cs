using System.Net;
using System.Net.Sockets;
using AuditTool.Data;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Security;
using AuditTool.Tests.Browser;
using AuditTool.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Tests.Security;

/// <summary>
/// Sign-in through the agencies' own identity providers, against real OpenID Connect providers on loopback
/// (<see cref="TestOidcProvider"/>): the app's handler does the whole code flow with PKCE, over HTTP, as a browser would.
/// </summary>
public sealed class OidcSignInTests : IAsyncLifetime
{
    private TestOidcProvider _police = null!;
    private TestOidcProvider _health = null!;

    public async Task InitializeAsync()
    {
        _police = await TestOidcProvider.StartAsync();
        _health = await TestOidcProvider.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _police.DisposeAsync();
        await _health.DisposeAsync();
    }

    private async Task<AppHost> StartAppAsync(Dictionary<string, string>? more = null)
    {
        var settings = _police.SettingsAs("police", "Cleveland Police", "police.example.uk")
            .Concat(_health.SettingsAs("health", "North Tees NHS Trust", "nhs.example.uk"))
            .ToDictionary(p => p.Key, p => p.Value);
        // A provider that is down: nothing listens on its port.
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            settings["AuditTool:Oidc:Providers:down:DisplayName"] = "Youth Justice";
            settings["AuditTool:Oidc:Providers:down:Authority"] = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
            settings["AuditTool:Oidc:Providers:down:ClientId"] = "audittool";
            settings["AuditTool:Oidc:Providers:down:RequireHttpsMetadata"] = "false";
        }

        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        var app = await AppHost.StartAsync(settings);
        await SetEmailAsync(app, "police.auditor", "police.auditor@police.example.uk");
        await SetEmailAsync(app, "health.auditor", "health.auditor@nhs.example.uk");
        return app;
    }

    private static async Task SetEmailAsync(AppHost app, string userName, string email)
    {
        var users = app.Services.GetRequiredService<IUserRepository>();
        var admin = (await users.GetByUserNameAsync("admin"))!;
        var user = (await users.GetByUserNameAsync(userName))!;
        await app.Services.GetRequiredService<UserAdminService>()
            .SetEmailAsync(new Actor(admin.Id, admin.UserName, admin.Role, null), user.Id, email);
    }

    private static (string User, string Method) NewestSession(AppHost app)
    {
        using var connection = app.Services.GetRequiredService<ConnectionFactory>().Open();
        return connection.QuerySingle<(string, string)>(
            "SELECT u.user_name, s.method FROM sessions s JOIN users u ON u.id = s.user_id ORDER BY s.created_utc DESC LIMIT 1");
    }

    private static List<(string Issuer, string Subject, string Provider)> Logins(AppHost app)
    {
        using var connection = app.Services.GetRequiredService<ConnectionFactory>().Open();
        return connection.Query<(string, string, string)>("SELECT issuer, subject, provider FROM user_logins ORDER BY created_utc, provider DESC").ToList();
    }

    private static long Count(AppHost app, string sql)
    {
        using var connection = app.Services.GetRequiredService<ConnectionFactory>().Open();
        return connection.ExecuteScalar<long>(sql);
    }

    [Fact]
    public async Task TwoProvidersAtOnce_EachSignsInItsOwnPeople_LinkedByIssuerAndSubject()
    {
        await using var app = await StartAppAsync();
        _police.Person = new TestPerson("police-0001", "police.auditor@police.example.uk", Name: "Police auditor");
        _health.Person = new TestPerson("health-0001", "HEALTH.AUDITOR@nhs.example.uk", Name: "Health auditor");

        using var police = new Browserless(app.BaseUrl);
        var policeWay = await police.FollowAsync("/Account/External/police");
        var policeSession = NewestSession(app);
        using var health = new Browserless(app.BaseUrl);
        await health.FollowAsync("/Account/External/health");

        Assert.Contains(policeWay, u => u.StartsWith(_police.Authority + "/authorize", StringComparison.Ordinal));
        Assert.True(await police.IsSignedInAsync());
        Assert.Equal(("police.auditor", "oidc:police"), policeSession);
        Assert.True(await health.IsSignedInAsync());
        Assert.Equal(("health.auditor", "oidc:health"), NewestSession(app));

        // The link is by issuer and subject: the same person with a changed address is still that account, and someone
        // else at the provider with the account's address is not let in.
        _police.Person = new TestPerson("police-0001", "renamed@police.example.uk");
        using var again = new Browserless(app.BaseUrl);
        await again.FollowAsync("/Account/External/police");
        var againSession = NewestSession(app);
        _police.Person = new TestPerson("police-0002", "police.auditor@police.example.uk");
        using var other = new Browserless(app.BaseUrl);
        var otherWay = await other.FollowAsync("/Account/External/police");

        Assert.True(await again.IsSignedInAsync());
        Assert.Equal(("police.auditor", "oidc:police"), againSession);
        Assert.False(await other.IsSignedInAsync());
        Assert.Contains("is linked to another person at Cleveland Police", other.LastPage, StringComparison.Ordinal);
        Assert.EndsWith("/Account/SignIn", new Uri(otherWay[^1]).AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(2, Count(app, "SELECT COUNT(*) FROM user_logins"));
        Assert.Equal([(_police.Authority, "police-0001", "police"), (_health.Authority, "health-0001", "health")], Logins(app));
    }

    [Fact]
    public async Task AnUnverifiedAddress_AndAnAddressWithNoAccount_AreRefused_AndNoAccountIsCreated()
    {
        await using var app = await StartAppAsync();
        var users = Count(app, "SELECT COUNT(*) FROM users");

        _police.Person = new TestPerson("police-0003", "police.auditor@police.example.uk", EmailVerified: false);
        using var unverified = new Browserless(app.BaseUrl);
        await unverified.FollowAsync("/Account/External/police");
        _police.Person = new TestPerson("police-0004", "nobody@police.example.uk");
        using var unknown = new Browserless(app.BaseUrl);
        await unknown.FollowAsync("/Account/External/police");

        Assert.False(await unverified.IsSignedInAsync());
        Assert.Contains("Cleveland Police did not confirm your e-mail address", unverified.LastPage, StringComparison.Ordinal);
        Assert.False(await unknown.IsSignedInAsync());
        Assert.Contains("There is no AuditTool account for nobody@police.example.uk", unknown.LastPage, StringComparison.Ordinal);
        Assert.Equal(users, Count(app, "SELECT COUNT(*) FROM users"));
        Assert.Equal(0, Count(app, "SELECT COUNT(*) FROM user_logins"));
    }

    [Fact]
    public async Task ATokenFromTheWrongIssuer_AndAReplayedAnswer_AreRefusedWithAPlainMessage()
    {
        await using var app = await StartAppAsync();
        _police.Person = new TestPerson("police-0001", "police.auditor@police.example.uk");
        _police.TokenIssuer = "https://someone-else.example";
        using var wrongIssuer = new Browserless(app.BaseUrl);
        await wrongIssuer.FollowAsync("/Account/External/police");
        _police.TokenIssuer = null;

        using var first = new Browserless(app.BaseUrl);
        var way = await first.FollowAsync("/Account/External/police");
        var answer = way.Single(u => new Uri(u).AbsolutePath == "/signin-oidc-police");
        var tokens = _police.TokensIssued;
        var replay = await first.FollowAsync(answer);

        Assert.False(await wrongIssuer.IsSignedInAsync());
        Assert.Contains("Signing in through Cleveland Police did not complete", wrongIssuer.LastPage, StringComparison.Ordinal);
        Assert.True(await first.IsSignedInAsync());
        Assert.Equal(("police.auditor", "oidc:police"), NewestSession(app));
        Assert.EndsWith("/Account/SignIn", new Uri(replay[^1]).AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("did not complete", first.LastPage, StringComparison.Ordinal);
        Assert.Equal(tokens, _police.TokensIssued);
    }

    [Fact]
    public async Task AProviderThatIsDown_GivesAPlainMessage_AndTheLocalAdministratorStillSignsIn()
    {
        await using var app = await StartAppAsync();
        using var client = new Browserless(app.BaseUrl);
        var way = await client.FollowAsync("/Account/External/down");

        Assert.EndsWith("/Account/SignIn", new Uri(way[^1]).AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("Youth Justice is not answering just now", client.LastPage, StringComparison.Ordinal);
        using var local = new SignInClient(app.BaseUrl);
        var signedIn = await local.PostAsync(await local.LoadFormAsync(), "admin", BrowserFixture.DemoPassword);
        Assert.NotNull(local.SessionCookie);
        Assert.NotNull(signedIn);
    }

    [Fact]
    public async Task ARoleThatNeedsASecondFactor_IsAskedForOne_UnlessTheProviderSaysItWasUsed()
    {
        await using var app = await StartAppAsync(new Dictionary<string, string> { ["AuditTool:Mfa:RequiredRoles"] = "auditor" });
        _police.Person = new TestPerson("police-0001", "police.auditor@police.example.uk");
        using var without = new Browserless(app.BaseUrl);
        await without.FollowAsync("/Account/External/police");
        _police.Person = new TestPerson("police-0001", "police.auditor@police.example.uk", Amr: ["pwd", "mfa"]);
        using var with = new Browserless(app.BaseUrl);
        await with.FollowAsync("/Account/External/police");

        Assert.Contains("/Account/SecondFactorSetUp", without.LastPage, StringComparison.Ordinal);
        Assert.False(await without.IsSignedInAsync());
        Assert.True(await with.IsSignedInAsync());
        Assert.Equal(1, Count(app, "SELECT COUNT(*) FROM sessions WHERE method = 'oidc:police+mfa'"));
    }

    /// <summary>A browser's part without a browser: follows redirects across the app and the providers, keeping cookies.</summary>
    private sealed class Browserless : IDisposable
    {
        private readonly HttpClient _http;
        private readonly Uri _base;

        public Browserless(string baseUrl)
        {
            _base = new Uri(baseUrl);
            _http = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true })
            {
                Timeout = TimeSpan.FromMinutes(2),
            };
        }

        public string LastPage { get; private set; } = string.Empty;

        /// <summary>Every address visited, in order, the last one answering without a redirect.</summary>
        public async Task<List<string>> FollowAsync(string start)
        {
            var visited = new List<string>();
            var url = new Uri(_base, start);
            for (var i = 0; i < 20; i++)
            {
                visited.Add(url.ToString());
                using var response = await _http.GetAsync(url);
                if (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect)
                {
                    url = new Uri(url, response.Headers.Location!);
                    continue;
                }

                LastPage = await response.Content.ReadAsStringAsync();
                return visited;
            }

            throw new InvalidOperationException("Too many redirects: " + string.Join(" -> ", visited));
        }

        /// <summary>Whether the client holds a session the app accepts (the keep-alive answers 204, not a redirect to sign in).</summary>
        public async Task<bool> IsSignedInAsync()
        {
            using var response = await _http.GetAsync(new Uri(_base, "/Account/KeepAlive"));
            return response.StatusCode == HttpStatusCode.NoContent;
        }

        public void Dispose() => _http.Dispose();
    }
}
