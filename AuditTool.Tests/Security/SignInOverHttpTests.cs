using System.Collections.Concurrent;
using System.Net;
using AuditTool.Data;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Security;
using AuditTool.Tests.Browser;
using AuditTool.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AuditTool.Tests.Security;

/// <summary>
/// Sign-in as an attacker or a race would meet it: the real server on a loopback port, driven over HTTP with the
/// sign-in form's own fields, many requests at once. On SQLite and on PostgreSQL.
/// </summary>
public abstract class SignInOverHttpTests(DatabaseEngine engine, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Password = "the-right-password-2026";
    private const string NewPassword = "a-brand-new-password-2026";

    private AppHost _app = null!;
    private string? _postgres;

    protected virtual IDictionary<string, string> Settings => new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string>(Settings);
        if (engine == DatabaseEngine.Postgres)
        {
            _postgres = PostgresServer.Instance.CreateDatabase("http");
            settings["AuditTool:Database"] = _postgres;
        }

        // No demo data: the accounts are the test's own. (Development, because Production's cookies are Secure and this
        // client speaks plain HTTP on loopback: BehindAProxyTests covers Production.)
        settings["AuditTool:Demo"] = "false";
        _app = await AppHost.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        if (_postgres is not null)
        {
            PostgresServer.Instance.DropDatabase(_postgres);
        }
    }

    private T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    private async Task<Actor> CreateUserAsync(string userName, Role role = Role.Executive, string password = Password)
    {
        var id = await Get<UserAdminService>().CreateAsync(Actor.System, new NewUser(userName, userName, role, null, password));
        return new Actor(id, userName, role, null);
    }

    private async Task<IReadOnlyList<string>> LogAsync(string action)
    {
        using var connection = await Get<ConnectionFactory>().OpenAsync();
        return (await connection.QueryAsync<string>("SELECT COALESCE(new_values, '') FROM audit_log WHERE action = @action ORDER BY id", new { action })).ToList();
    }

    /// <summary>Each attempt with its own client (cookies and token), all posted at the same moment.</summary>
    private async Task<SignInAnswer[]> AllAtOnceAsync(string userName, IReadOnlyList<string> passwords)
    {
        var clients = passwords.Select(_ => new SignInClient(_app.BaseUrl)).ToList();
        try
        {
            var tokens = await Task.WhenAll(clients.Select(c => c.LoadFormAsync()));
            using var start = new ManualResetEventSlim();
            var posts = clients.Select((c, i) => Task.Run(async () =>
            {
                start.Wait();
                return await c.PostAsync(tokens[i], userName, passwords[i]);
            })).ToList();
            start.Set();
            return await Task.WhenAll(posts);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task ThirtyWrongPasswordsAtOnce_OnlyFiveAreChecked_AndTheAccountLocks()
    {
        await CreateUserAsync("target.one");

        var answers = await AllAtOnceAsync("target.one", Enumerable.Range(0, 30).Select(i => $"guess-{i:00}-not-it").ToList());
        using var late = new SignInClient(_app.BaseUrl);
        var right = await late.SignInAsync("target.one", Password);

        var checkedPasswords = (await LogAsync("sign-in-failed")).Count(v => v.StartsWith("wrong password", StringComparison.Ordinal));
        output.WriteLine($"{checkedPasswords} of 30 passwords checked; the right one afterwards: {right.Status}");
        Assert.All(answers, a => Assert.False(a.SignedIn));
        Assert.Equal(SignInService.MaxFailures, checkedPasswords);
        Assert.False(right.SignedIn);
        Assert.Equal(SignInService.RefusedMessage, right.Message);
    }

    [Fact]
    public async Task TwentyNineWrongAndTheRightOneAtOnce_NoMoreThanFiveInARowAreChecked()
    {
        await CreateUserAsync("target.two");
        var passwords = Enumerable.Range(0, 30).Select(i => i == 13 ? Password : $"guess-{i:00}-not-it").ToList();

        var answers = await AllAtOnceAsync("target.two", passwords);

        // The database numbers each attempt it lets through; a right password starts the count again.
        var attempts = (await LogAsync("sign-in-failed"))
            .Select(v => System.Text.RegularExpressions.Regex.Match(v, @"attempt (\d+) of"))
            .Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var successes = answers.Count(a => a.SignedIn);
        output.WriteLine($"{attempts.Count} wrong passwords checked, {successes} signed in");
        Assert.InRange(successes, 0, 1);
        Assert.All(attempts, n => Assert.InRange(n, 1, SignInService.MaxFailures));
        Assert.All(attempts.GroupBy(n => n), g => Assert.True(g.Count() <= successes + 1, $"attempt {g.Key} checked {g.Count()} times"));
        Assert.InRange(attempts.Count, 1, SignInService.MaxFailures * (successes + 1));
    }

    [Fact]
    public async Task AnUnknownName_AndALockedAccount_GetTheSameAnswer()
    {
        await CreateUserAsync("target.three");
        for (var i = 0; i < SignInService.MaxFailures; i++)
        {
            using var client = new SignInClient(_app.BaseUrl);
            await client.SignInAsync("target.three", $"wrong-{i}-password");
        }

        using var a = new SignInClient(_app.BaseUrl);
        using var b = new SignInClient(_app.BaseUrl);
        var locked = await a.SignInAsync("target.three", Password);
        var unknown = await b.SignInAsync("nobody.by.that.name", Password);

        Assert.False(locked.SignedIn);
        Assert.Equal((locked.Status, locked.Message), (unknown.Status, unknown.Message));
        Assert.Equal(SignInService.RefusedMessage, locked.Message);
    }

    /// <summary>
    /// The account signs in again and again from four clients while the administrator changes it: the change holds
    /// (the row keeps it, nothing signs in that should not) and every session made before it has ended.
    /// </summary>
    [Theory]
    [InlineData("disable")]
    [InlineData("reset-password")]
    [InlineData("role")]
    public async Task AChangeMadeWhileTheAccountSignsInInALoop_IsNeverUndone(string change)
    {
        var admin = await CreateUserAsync("admin.racer", Role.Administrator);
        var racer = await CreateUserAsync("racer");
        var changed = 0;
        var successesBefore = 0;
        var attemptsAfter = 0;
        var wrongAfter = new ConcurrentBag<string>();
        var cookies = new ConcurrentBag<SignInClient>();
        using var stop = new CancellationTokenSource();

        async Task LoopAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                var startedAfterChange = Volatile.Read(ref changed) == 1;
                var client = new SignInClient(_app.BaseUrl);
                var answer = await client.SignInAsync("racer", Password);
                if (answer.SignedIn)
                {
                    cookies.Add(client);
                    if (!startedAfterChange)
                    {
                        Interlocked.Increment(ref successesBefore);
                    }
                }
                else
                {
                    client.Dispose();
                }

                if (startedAfterChange)
                {
                    Interlocked.Increment(ref attemptsAfter);
                    if (answer.SignedIn && change != "role")
                    {
                        wrongAfter.Add($"a sign-in started after the {change} succeeded");
                    }
                }
            }
        }

        var loops = Enumerable.Range(0, 4).Select(_ => Task.Run(LoopAsync)).ToList();
        await WaitUntilAsync(() => Volatile.Read(ref successesBefore) >= 6, "the loops to sign in six times");
        var admins = Get<UserAdminService>();
        await (change switch
        {
            "disable" => admins.SetDisabledAsync(admin, racer.UserId, disabled: true),
            "reset-password" => admins.ResetPasswordAsync(admin, racer.UserId, NewPassword),
            _ => admins.AssignRoleAsync(admin, racer.UserId, Role.Scrutineer, null),
        });
        Volatile.Write(ref changed, 1);
        await WaitUntilAsync(() => Volatile.Read(ref attemptsAfter) >= 12, "twelve more attempts after the change");
        await stop.CancelAsync();
        await Task.WhenAll(loops);

        var row = (await Get<IUserRepository>().GetByIdAsync(racer.UserId))!;
        var stale = 0;
        foreach (var client in cookies)
        {
            // A session made before the change is ended; one made after a role change is a new one, with the new role.
            var status = await client.StatusOfAsync("/Account/KeepAlive");
            if (status == HttpStatusCode.NoContent && change != "role")
            {
                stale++;
            }

            client.Dispose();
        }

        output.WriteLine($"{change}: {successesBefore} sign-ins before, {attemptsAfter} attempts after; {stale} sessions still open");
        Assert.Empty(wrongAfter);
        switch (change)
        {
            case "disable":
                Assert.True(row.IsDisabled, "The row says enabled after the disable.");
                Assert.Equal(0, stale);
                break;
            case "reset-password":
                // (The loops' old password has locked the account by now: the stored hash is what must hold.)
                Assert.True(Get<IPasswordHasher>().Verify(row.PasswordHash, NewPassword, out _), "The new password was undone.");
                Assert.Equal(0, stale);
                break;
            default:
                Assert.Equal(Role.Scrutineer, row.Role);
                break;
        }
    }

    [Fact]
    public async Task SessionsMadeBeforeARoleChange_AreEnded_WhileTheAccountKeepsWorking()
    {
        var admin = await CreateUserAsync("admin.roles", Role.Administrator);
        var person = await CreateUserAsync("changing.role");
        using var before = new SignInClient(_app.BaseUrl);
        Assert.True((await before.SignInAsync("changing.role", Password)).SignedIn);
        Assert.Equal(HttpStatusCode.NoContent, await before.StatusOfAsync("/Account/KeepAlive"));

        await Get<UserAdminService>().AssignRoleAsync(admin, person.UserId, Role.Scrutineer, null);
        using var after = new SignInClient(_app.BaseUrl);
        Assert.True((await after.SignInAsync("changing.role", Password)).SignedIn);

        Assert.NotEqual(HttpStatusCode.NoContent, await before.StatusOfAsync("/Account/KeepAlive"));
        Assert.Equal(HttpStatusCode.NoContent, await after.StatusOfAsync("/Account/KeepAlive"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting for {what}.");
            }

            await Task.Yield();
            await Task.Delay(10);
        }
    }
}

public sealed class SignInOverHttpTestsOnSqlite(ITestOutputHelper output) : SignInOverHttpTests(DatabaseEngine.Sqlite, output);

public sealed class SignInOverHttpTestsOnPostgres(ITestOutputHelper output) : SignInOverHttpTests(DatabaseEngine.Postgres, output);

/// <summary>The sign-in limits per network address and for the whole server (ASP.NET Core's rate limiter), over HTTP.</summary>
public sealed class SignInRateLimitTests
{
    [Fact]
    public async Task OneAddress_IsHeldToItsLimit_WhileAnotherAddressStillSignsIn()
    {
        await using var app = await AppHost.StartAsync(new Dictionary<string, string>
        {
            ["AuditTool:SignIn:PerAddressPerMinute"] = "3",
            ["AuditTool:SignIn:GlobalPerMinute"] = "1000",
            ["AuditTool:Demo"] = "false",
        });
        var id = await app.Services.GetRequiredService<UserAdminService>().CreateAsync(Actor.System,
            new NewUser("limited", "limited", Role.Executive, null, "the-right-password-2026"));
        using var first = new SignInClient(app.BaseUrl, fromAddress: "127.0.0.2");
        using var second = new SignInClient(app.BaseUrl, fromAddress: "127.0.0.3");
        var token = await first.LoadFormAsync();

        var allowed = new List<SignInAnswer>();
        for (var i = 0; i < 3; i++)
        {
            allowed.Add(await first.PostAsync(token, "limited", $"wrong-{i}-password"));
        }

        var fourth = await first.PostAsync(token, "limited", "the-right-password-2026");
        var elsewhere = await second.SignInAsync("limited", "the-right-password-2026");

        Assert.All(allowed, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.Status);
        Assert.False(fourth.SignedIn);
        Assert.True(elsewhere.SignedIn, $"the other address was refused: {elsewhere.Status}");
        Assert.True(id > 0);
    }

    [Fact]
    public async Task EveryAddressTogether_IsHeldToTheGlobalLimit()
    {
        await using var app = await AppHost.StartAsync(new Dictionary<string, string>
        {
            ["AuditTool:SignIn:PerAddressPerMinute"] = "100",
            ["AuditTool:SignIn:GlobalPerMinute"] = "4",
            ["AuditTool:Demo"] = "false",
        });
        var statuses = new List<HttpStatusCode>();
        foreach (var address in new[] { "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6" })
        {
            using var client = new SignInClient(app.BaseUrl, fromAddress: address);
            statuses.Add((await client.SignInAsync($"someone.at.{address}", "not-a-password-at-all")).Status);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}
