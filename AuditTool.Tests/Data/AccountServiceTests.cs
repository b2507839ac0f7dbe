using AuditTool.Data;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Security;
using AuditTool.Tests.Support;
using Dapper;

namespace AuditTool.Tests.Data;

public abstract class AccountServiceTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    private const string Password = "correct-horse-battery";

    [Fact]
    public async Task SignIn_WithTheRightPassword_Succeeds()
    {
        using var db = NewDatabase();
        await db.CreateUserAsync("scrutineer", Role.Scrutineer);

        var result = await db.Get<SignInService>().SignInAsync("scrutineer", Password);

        Assert.Equal(SignInOutcome.Success, result.Outcome);
        Assert.Equal("scrutineer", result.User!.UserName);
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
