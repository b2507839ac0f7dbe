using System.Data.Common;
using AuditTool.Data;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;
using AuditTool.Tests.Support;
using AuditTool.Web.Hosting;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Tests.Data;

public abstract class AccountServiceTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    private const string Password = "correct-horse-battery";

    [Fact]
    public async Task SignIn_WithTheRightPassword_Succeeds()
    {
        // An executive: no second factor is required of the role by default (scrutineers' is: SecondFactorTests).
        using var db = NewDatabase();
        await db.CreateUserAsync("executive", Role.Executive);

        var result = await db.Get<SignInService>().SignInAsync("executive", Password);

        Assert.Equal(SignInOutcome.Success, result.Outcome);
        Assert.Equal("executive", result.User!.UserName);
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LockTheAccount_EvenForTheRightPassword()
    {
        using var db = NewDatabase();
        await db.CreateUserAsync("executive", Role.Executive);
        var signIn = db.Get<SignInService>();

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(SignInOutcome.Failed, (await signIn.SignInAsync("executive", "wrong-password-" + i)).Outcome);
        }

        var fifth = await signIn.SignInAsync("executive", "wrong-password-5");
        var thenRight = await signIn.SignInAsync("executive", Password);

        Assert.Equal(SignInOutcome.LockedOut, fifth.Outcome);
        Assert.Equal(SignInOutcome.LockedOut, thenRight.Outcome);
        Assert.Contains("locked", thenRight.Message);
        var user = await db.Get<IUserRepository>().GetByUserNameAsync("executive");
        Assert.True(user!.LockoutEndUtc > DateTimeOffset.UtcNow.AddMinutes(14));
        Assert.True(user.LockoutEndUtc <= DateTimeOffset.UtcNow.AddMinutes(15));
    }

    [Fact]
    public async Task SignIn_FourWrongThenRight_ResetsTheCount()
    {
        using var db = NewDatabase();
        await db.CreateUserAsync("manager.x", Role.Manager, await db.Get<IAgencyRepository>().CreateAsync(
            Agency.Create("police", "Cleveland Police", AgencyKinds.Police)));
        var signIn = db.Get<SignInService>();
        for (var i = 0; i < 4; i++)
        {
            await signIn.SignInAsync("manager.x", "nope-nope-nope");
        }

        Assert.Equal(SignInOutcome.Success, (await signIn.SignInAsync("manager.x", Password)).Outcome);
        Assert.Equal(SignInOutcome.Failed, (await signIn.SignInAsync("manager.x", "nope-nope-nope")).Outcome);
    }

    [Fact]
    public async Task SignIn_DisabledAccount_IsRefused()
    {
        using var db = NewDatabase();
        var admin = await db.CreateUserAsync("admin", Role.Administrator);
        var target = await db.CreateUserAsync("leaver", Role.Executive);
        await db.Get<UserAdminService>().SetDisabledAsync(admin, target.UserId, disabled: true);

        var result = await db.Get<SignInService>().SignInAsync("leaver", Password);

        Assert.Equal(SignInOutcome.Disabled, result.Outcome);
        Assert.Null(result.User);
    }

    [Fact]
    public async Task SignIn_UnknownName_LockedAccount_AndWrongPassword_GetTheSameAnswer()
    {
        using var db = NewDatabase();
        await db.CreateUserAsync("locked.person", Role.Executive);
        await db.CreateUserAsync("known.person", Role.Executive);
        var signIn = db.Get<SignInService>();
        for (var i = 0; i < SignInService.MaxFailures; i++)
        {
            await signIn.SignInAsync("locked.person", "wrong-password-" + i);
        }

        var unknown = await signIn.SignInAsync("nobody.here", "wrong-password-x");
        var locked = await signIn.SignInAsync("locked.person", Password);
        var wrong = await signIn.SignInAsync("known.person", "wrong-password-y");

        Assert.Equal(SignInOutcome.LockedOut, locked.Outcome);
        Assert.Equal(unknown.Message, locked.Message);
        Assert.Equal(unknown.Message, wrong.Message);
        Assert.All(new[] { unknown, locked, wrong }, r => Assert.Null(r.User));
    }

    [Fact]
    public async Task SignIn_ThirtyWrongPasswordsAtOnce_CheckOnlyFive_AndLockTheAccount()
    {
        using var db = NewDatabase();
        await db.CreateUserAsync("target", Role.Scrutineer);
        var signIn = db.Get<SignInService>();
        using var start = new ManualResetEventSlim();

        var attempts = Enumerable.Range(0, 30)
            .Select(i => Task.Run(async () => { start.Wait(); return await signIn.SignInAsync("target", $"guess-number-{i:00}"); }))
            .ToList();
        start.Set();
        var results = await Task.WhenAll(attempts);
        var thenRight = await signIn.SignInAsync("target", Password);

        using var connection = db.Factory.Open();
        var checkedPasswords = connection.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'sign-in-failed' AND new_values LIKE 'wrong password%'");
        var refused = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_log WHERE action = 'sign-in-refused'");
        Assert.Equal(SignInService.MaxFailures, checkedPasswords);
        Assert.Equal(Enumerable.Range(1, SignInService.MaxFailures), connection.Query<string>(
                "SELECT new_values FROM audit_log WHERE action = 'sign-in-failed' AND new_values LIKE 'wrong password%'")
            .Select(v => int.Parse(System.Text.RegularExpressions.Regex.Match(v, @"attempt (\d+) of").Groups[1].Value)).Order());
        Assert.Equal(30 - SignInService.MaxFailures + 1, refused);
        Assert.All(results, r => Assert.NotEqual(SignInOutcome.Success, r.Outcome));
        Assert.Equal(SignInOutcome.LockedOut, thenRight.Outcome);
        Assert.True((await db.Get<IUserRepository>().GetByUserNameAsync("target"))!.LockoutEndUtc > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task SignIn_TwentyNineWrongAndTheRightOneAtOnce_CheckAtMostFiveWrongOnes()
    {
        using var db = NewDatabase();
        await db.CreateUserAsync("target", Role.Scrutineer);
        var signIn = db.Get<SignInService>();
        using var start = new ManualResetEventSlim();

        var attempts = Enumerable.Range(0, 30)
            .Select(i => Task.Run(async () => { start.Wait(); return await signIn.SignInAsync("target", i == 17 ? Password : $"guess-number-{i:00}"); }))
            .ToList();
        start.Set();
        await Task.WhenAll(attempts);

        // Each checked password carries the attempt number the database counted for it: never more than five in a row
        // without a right password between them (which starts the count again).
        using var connection = db.Factory.Open();
        var attemptsChecked = connection.Query<string>(
            "SELECT new_values FROM audit_log WHERE action = 'sign-in-failed' AND new_values LIKE 'wrong password%'")
            .Select(v => int.Parse(System.Text.RegularExpressions.Regex.Match(v, @"attempt (\d+) of").Groups[1].Value)).ToList();
        var successes = connection.ExecuteScalar<int>("SELECT COUNT(*) FROM audit_log WHERE action = 'sign-in'");
        Assert.NotEmpty(attemptsChecked);
        Assert.All(attemptsChecked, n => Assert.InRange(n, 1, SignInService.MaxFailures));
        Assert.All(attemptsChecked.GroupBy(n => n), g => Assert.True(g.Count() <= successes + 1, $"attempt {g.Key} was checked {g.Count()} times"));
    }

    [Fact]
    public async Task SignIn_RecordsASession_ThatEndsAtSignOut_AndAfterItsAbsoluteLifetime()
    {
        using var db = NewDatabase();
        var user = await db.CreateUserAsync("someone", Role.Executive);
        var clock = new TestClock(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
        using var services = AuditToolServices.For(DatabaseTarget.Parse(db.Location, db.Folder), null,
            s => s.AddSingleton<TimeProvider>(clock));
        var signIn = services.GetRequiredService<SignInService>();
        var sessions = services.GetRequiredService<SessionService>();

        var first = await signIn.SignInAsync("someone", Password);
        var second = await signIn.SignInAsync("someone", Password);
        var stamp = first.User!.SecurityStamp;
        Assert.True(await sessions.IsCurrentAsync(user.UserId, first.Session!.Id, stamp));
        clock.Advance(TimeSpan.FromHours(11.9));
        Assert.True(await sessions.IsCurrentAsync(user.UserId, first.Session.Id, stamp));
        clock.Advance(TimeSpan.FromHours(0.2));
        Assert.False(await sessions.IsCurrentAsync(user.UserId, first.Session.Id, stamp));

        var third = await signIn.SignInAsync("someone", Password);
        Assert.True(await sessions.IsCurrentAsync(user.UserId, third.Session!.Id, stamp));
        await sessions.SignOutAsync(user.UserId, "someone");

        Assert.False(await sessions.IsCurrentAsync(user.UserId, third.Session.Id, stamp));
        Assert.False(await sessions.IsCurrentAsync(user.UserId, second.Session!.Id, stamp));
        Assert.False(await sessions.IsCurrentAsync(user.UserId, "not-a-session", stamp));
        Assert.False(await sessions.IsCurrentAsync(user.UserId + 1, third.Session.Id, stamp));
    }

    [Fact]
    public async Task TheIdleTimer_EndsItsOwnSessionOnly_SigningOutEndsThemAll()
    {
        using var db = NewDatabase();
        var user = await db.CreateUserAsync("two.devices", Role.Executive);
        var signIn = db.Get<SignInService>();
        var sessions = db.Get<SessionService>();
        var laptop = await signIn.SignInAsync("two.devices", Password);
        var phone = await signIn.SignInAsync("two.devices", Password);
        var stamp = laptop.User!.SecurityStamp;

        await sessions.SignOutIdleAsync(user.UserId, "two.devices", laptop.Session!.Id);

        Assert.False(await sessions.IsCurrentAsync(user.UserId, laptop.Session.Id, stamp));
        Assert.True(await sessions.IsCurrentAsync(user.UserId, phone.Session!.Id, stamp));
        await sessions.SignOutAsync(user.UserId, "two.devices");
        Assert.False(await sessions.IsCurrentAsync(user.UserId, phone.Session.Id, stamp));
    }

    [Theory]
    [InlineData("disable")]
    [InlineData("reset-password")]
    [InlineData("role")]
    public async Task ChangesOfAccess_EndEverySessionOfTheAccount(string change)
    {
        using var db = NewDatabase();
        var admin = await db.CreateUserAsync("admin", Role.Administrator);
        var user = await db.CreateUserAsync("someone", Role.Executive);
        var signedIn = await db.Get<SignInService>().SignInAsync("someone", Password);
        var sessions = db.Get<SessionService>();
        Assert.True(await sessions.IsCurrentAsync(user.UserId, signedIn.Session!.Id, signedIn.User!.SecurityStamp));

        var admins = db.Get<UserAdminService>();
        await (change switch
        {
            "disable" => admins.SetDisabledAsync(admin, user.UserId, disabled: true),
            "reset-password" => admins.ResetPasswordAsync(admin, user.UserId, "a-brand-new-long-password"),
            _ => admins.AssignRoleAsync(admin, user.UserId, Role.Scrutineer, null),
        });

        Assert.False(await sessions.IsCurrentAsync(user.UserId, signedIn.Session.Id, signedIn.User.SecurityStamp));
        using var connection = db.Factory.Open();
        Assert.Equal(0, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sessions WHERE ended_utc IS NULL"));
    }

    [Theory]
    [InlineData("disable")]
    [InlineData("reset-password")]
    [InlineData("update")]
    public async Task AnAccountChange_AndItsLogLine_LandTogetherOrNotAtAll(string action)
    {
        using var db = NewDatabase();
        var admin = await db.CreateUserAsync("admin", Role.Administrator);
        var user = await db.CreateUserAsync("someone", Role.Executive);
        var before = (await db.Get<IUserRepository>().GetByIdAsync(user.UserId))!;
        FaultInjection.FailLogLines(db, action);
        var admins = db.Get<UserAdminService>();

        await Assert.ThrowsAnyAsync<DbException>(() => action switch
        {
            "disable" => admins.SetDisabledAsync(admin, user.UserId, disabled: true),
            "reset-password" => admins.ResetPasswordAsync(admin, user.UserId, "a-brand-new-long-password"),
            _ => admins.AssignRoleAsync(admin, user.UserId, Role.Scrutineer, null),
        });

        var after = (await db.Get<IUserRepository>().GetByIdAsync(user.UserId))!;
        Assert.False(after.IsDisabled);
        Assert.Equal(before.PasswordHash, after.PasswordHash);
        Assert.Equal(Role.Executive, after.Role);
        Assert.Equal(before.SecurityStamp, after.SecurityStamp);
    }

    [Fact]
    public async Task DisabledAccount_LosesAccessToServicesAtOnce()
    {
        using var db = NewDatabase();
        var admin = await db.CreateUserAsync("admin", Role.Administrator);
        var other = await db.CreateUserAsync("admin2", Role.Administrator);
        Assert.NotEmpty(await db.Get<UserAdminService>().GetAllAsync(other));

        await db.Get<UserAdminService>().SetDisabledAsync(admin, other.UserId, disabled: true);

        await Assert.ThrowsAsync<AccessDeniedException>(() => db.Get<UserAdminService>().GetAllAsync(other));
    }

    [Fact]
    public async Task CreateUser_DuplicateUserName_IsRefusedAndChangesNothing()
    {
        using var db = NewDatabase();
        var admin = await db.CreateUserAsync("admin", Role.Administrator);
        await db.CreateUserAsync("scrutineer", Role.Scrutineer);

        var ex = await Assert.ThrowsAsync<DomainValidationException>(() => db.Get<UserAdminService>().CreateAsync(admin,
            new NewUser("Scrutineer", "Someone else", Role.Executive, null, "another-long-password")));

        Assert.Contains("already taken", ex.Message);
        var users = await db.Get<IUserRepository>().GetAllAsync();
        Assert.Equal(2, users.Count);
        Assert.Equal(Role.Scrutineer, users.Single(u => u.UserName == "scrutineer").Role);
    }

    [Fact]
    public async Task CreateUser_AuditorWithoutAgency_OrShortPassword_IsRefused()
    {
        using var db = NewDatabase();
        var admin = await db.CreateUserAsync("admin", Role.Administrator);

        var ex = await Assert.ThrowsAsync<DomainValidationException>(() => db.Get<UserAdminService>().CreateAsync(admin,
            new NewUser("auditor", "Auditor", Role.Auditor, null, "short")));

        Assert.Contains(ex.Problems, p => p.Contains("agency"));
        Assert.Contains(ex.Problems, p => p.Contains("at least 12"));
        Assert.Equal(1, await db.Get<IUserRepository>().CountAsync());
    }

    [Fact]
    public async Task UserAdmin_ByANonAdministrator_IsRefusedAndLogged()
    {
        using var db = NewDatabase();
        var executive = await db.CreateUserAsync("executive", Role.Executive);

        await Assert.ThrowsAsync<AccessDeniedException>(() => db.Get<UserAdminService>().CreateAsync(executive,
            new NewUser("sneaky", "Sneaky", Role.Administrator, null, "long-enough-password")));

        Assert.Null(await db.Get<IUserRepository>().GetByUserNameAsync("sneaky"));
        var log = await db.Get<IAuditLog>().GetLatestAsync(5);
        Assert.Contains(log, e => e.Action == "access-refused" && e.UserName == "executive" && e.EntityId == "users.create");
    }

    [Fact]
    public async Task AgencyChanges_AreWrittenToTheAuditLogWithOldAndNewValues()
    {
        using var db = NewDatabase();
        var admin = await db.CreateUserAsync("admin", Role.Administrator);
        var agencies = db.Get<AgencyService>();

        var id = await agencies.CreateAsync(admin, "early-help", "Early Help", AgencyKinds.EarlyHelp);
        await agencies.UpdateAsync(admin, id, "Early Help Services", AgencyKinds.EarlyHelp);

        using var connection = db.Factory.Open();
        var rows = connection.Query<(string Action, string? Old, string? New)>(
            "SELECT action, old_values, new_values FROM audit_log WHERE entity = 'agency' ORDER BY id").ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal("create", rows[0].Action);
        Assert.Contains("Early Help Services", rows[1].New);
        Assert.Contains("\"Early Help\"", rows[1].Old);
    }

    [Fact]
    public async Task Agency_BadInput_IsRefusedWithEveryProblem()
    {
        using var db = NewDatabase();
        var admin = await db.CreateUserAsync("admin", Role.Administrator);

        var ex = await Assert.ThrowsAsync<DomainValidationException>(() =>
            db.Get<AgencyService>().CreateAsync(admin, "Bad Key!", new string('x', 201), "army"));

        Assert.Equal(3, ex.Problems.Count);
        Assert.Empty(await db.Get<IAgencyRepository>().GetAllAsync());
    }
}

public sealed class AccountServiceTestsOnSqlite() : AccountServiceTests(DatabaseEngine.Sqlite);

public sealed class AccountServiceTestsOnPostgres() : AccountServiceTests(DatabaseEngine.Postgres);
