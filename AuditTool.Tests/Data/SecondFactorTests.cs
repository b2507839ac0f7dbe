using AuditTool.Data;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Notices;
using AuditTool.Domain.Security;
using AuditTool.Tests.Support;
using Dapper;
using OtpNet;

namespace AuditTool.Tests.Data;

/// <summary>
/// Second factors of local accounts through the real services on both engines, with a clock the test moves: authenticator
/// codes computed by the test from the key shown at set-up, a code used twice refused, recovery codes once each, a role
/// that needs a factor kept out until it has one, an administrator's reset; unused accounts disabled by the daily pass.
/// </summary>
public abstract class SecondFactorTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    private const string Password = "correct-horse-battery";
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 9, 0, 10, TimeSpan.Zero);


    private static string Code(string key, DateTimeOffset at) =>
        new Totp(Base32Encoding.ToBytes(key.Replace(" ", ""))).ComputeTotp(at.UtcDateTime);

    private static async Task<(string Key, IReadOnlyList<string> Codes)> SetUpAsync(ClockedServices s, long userId, string userName)
    {
        var setUp = await s.Get<SecondFactorService>().BeginAuthenticatorAsync(userId, userName);
        Assert.StartsWith("otpauth://totp/AuditTool%3A", setUp.Uri);
        var codes = await s.Get<SecondFactorService>().ConfirmAuthenticatorAsync(userId, userName, Code(setUp.Key, s.Clock.GetUtcNow()));
        Assert.NotNull(codes);
        return (setUp.Key, codes);
    }

    [Fact]
    public async Task AScrutineer_WithNoSecondFactor_IsSentToSetOneUp_AndCannotFinishWithoutIt()
    {
        using var db = NewDatabase();
        await db.CreateUserAsync("scrutineer", Role.Scrutineer);
        using var s = new ClockedServices(db, new TestClock(Start));
        var signIn = s.Get<SignInService>();

        var result = await signIn.SignInAsync("scrutineer", Password);
        var skipped = await signIn.CompleteAfterSetUpAsync(result.Pending!);

        Assert.Equal(SignInOutcome.SecondFactorSetUpNeeded, result.Outcome);
        Assert.Null(result.Session);
        Assert.Equal(SignInOutcome.SecondFactorSetUpNeeded, skipped.Outcome);
        Assert.Null(skipped.Session);
        using var connection = db.Factory.Open();
        Assert.Equal(0, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sessions"));
    }

    [Fact]
    public async Task AuthenticatorCodes_FromTheShownKey_SignIn_AndACodeUsedOnceIsRefusedTheSecondTime()
    {
        using var db = NewDatabase();
        var user = await db.CreateUserAsync("scrutineer", Role.Scrutineer);
        using var s = new ClockedServices(db, new TestClock(Start));
        var signIn = s.Get<SignInService>();
        var first = await signIn.SignInAsync("scrutineer", Password);
        var (key, codes) = await SetUpAsync(s, user.UserId, "scrutineer");
        Assert.Equal(SignInOutcome.Success, (await signIn.CompleteAfterSetUpAsync(first.Pending!)).Outcome);
        Assert.Equal(SecondFactorService.RecoveryCodeCount, codes.Distinct().Count());

        s.Clock.Advance(TimeSpan.FromMinutes(5));
        var second = await signIn.SignInAsync("scrutineer", Password);
        var wrong = await signIn.SecondFactorAsync(second.Pending!, "000000" == Code(key, s.Clock.GetUtcNow()) ? "111111" : "000000");
        var code = Code(key, s.Clock.GetUtcNow());
        var right = await signIn.SecondFactorAsync(second.Pending!, code);
        var third = await signIn.SignInAsync("scrutineer", Password);
        var replayed = await signIn.SecondFactorAsync(third.Pending!, code);

        Assert.Equal(SignInOutcome.SecondFactorNeeded, second.Outcome);
        Assert.Equal(SignInOutcome.Failed, wrong.Outcome);
        Assert.Equal(SignInService.CodeRefusedMessage, wrong.Message);
        Assert.Equal(SignInOutcome.Success, right.Outcome);
        Assert.Equal("password+authenticator", right.Session!.Method);
        Assert.Equal(SignInOutcome.Failed, replayed.Outcome);
        Assert.Null(replayed.Session);
    }

    [Fact]
    public async Task ARecoveryCode_SignsInOnce_AndNeverAgain()
    {
        using var db = NewDatabase();
        var user = await db.CreateUserAsync("admin.person", Role.Administrator);
        using var s = new ClockedServices(db, new TestClock(Start));
        var (_, codes) = await SetUpAsync(s, user.UserId, "admin.person");
        var signIn = s.Get<SignInService>();

        var first = await signIn.SecondFactorAsync((await signIn.SignInAsync("admin.person", Password)).Pending!, codes[3].ToUpperInvariant());
        var again = await signIn.SecondFactorAsync((await signIn.SignInAsync("admin.person", Password)).Pending!, codes[3]);
        var status = await s.Get<SecondFactorService>().GetStatusAsync(user.UserId);

        Assert.Equal(SignInOutcome.Success, first.Outcome);
        Assert.Equal("password+recovery-code", first.Session!.Method);
        Assert.Equal(SignInOutcome.Failed, again.Outcome);
        Assert.Equal(SecondFactorService.RecoveryCodeCount - 1, status.RecoveryCodesLeft);
        using var connection = db.Factory.Open();
        Assert.DoesNotContain(codes[3], string.Join(" ", connection.Query<string>("SELECT code_hash FROM user_recovery_codes")));
        Assert.DoesNotContain(codes[3].Replace("-", ""), connection.ExecuteScalar<string>("SELECT secret FROM user_totp") ?? "");
    }

    [Fact]
    public async Task FiveWrongCodes_LockTheAccount_EvenForTheRightCode()
    {
        using var db = NewDatabase();
        var user = await db.CreateUserAsync("scrutineer", Role.Scrutineer);
        using var s = new ClockedServices(db, new TestClock(Start));
        var (key, _) = await SetUpAsync(s, user.UserId, "scrutineer");
        s.Clock.Advance(TimeSpan.FromMinutes(2));
        var signIn = s.Get<SignInService>();
        var pending = (await signIn.SignInAsync("scrutineer", Password)).Pending!;
        var right = Code(key, s.Clock.GetUtcNow());
        var wrong = right == "123456" ? "654321" : "123456";

        var outcomes = new List<SignInOutcome>();
        for (var i = 0; i < 4; i++)
        {
            outcomes.Add((await signIn.SecondFactorAsync(pending, wrong)).Outcome);
        }

        var afterLock = await signIn.SecondFactorAsync(pending, right);

        // The password was attempt 1; four wrong codes make five: the account is locked, and the right code is refused.
        Assert.Equal([SignInOutcome.Failed, SignInOutcome.Failed, SignInOutcome.Failed, SignInOutcome.LockedOut], outcomes);
        Assert.Equal(SignInOutcome.LockedOut, afterLock.Outcome);
    }

    [Fact]
    public async Task APendingSignIn_IsWorthNothing_AfterThePasswordIsResetMeanwhile()
    {
        using var db = NewDatabase();
        var admin = await db.CreateUserAsync("admin", Role.Administrator);
        var user = await db.CreateUserAsync("scrutineer", Role.Scrutineer);
        using var s = new ClockedServices(db, new TestClock(Start));
        var (key, _) = await SetUpAsync(s, user.UserId, "scrutineer");
        s.Clock.Advance(TimeSpan.FromMinutes(2));
        var signIn = s.Get<SignInService>();
        var pending = (await signIn.SignInAsync("scrutineer", Password)).Pending!;

        await s.Get<UserAdminService>().ResetPasswordAsync(admin, user.UserId, "another-long-new-password");
        var result = await signIn.SecondFactorAsync(pending, Code(key, s.Clock.GetUtcNow()));

        Assert.NotEqual(SignInOutcome.Success, result.Outcome);
        Assert.Null(result.Session);
    }

    [Fact]
    public async Task AnAdministratorsReset_RemovesEveryFactor_EndsTheSessions_AndIsLogged()
    {
        using var db = NewDatabase();
        var admin = await db.CreateUserAsync("admin", Role.Administrator);
        var user = await db.CreateUserAsync("scrutineer", Role.Scrutineer);
        using var s = new ClockedServices(db, new TestClock(Start));
        var signIn = s.Get<SignInService>();
        var first = await signIn.SignInAsync("scrutineer", Password);
        await SetUpAsync(s, user.UserId, "scrutineer");
        var session = (await signIn.CompleteAfterSetUpAsync(first.Pending!)).Session!;

        await s.Get<SecondFactorService>().ResetAsync(admin, user.UserId);

        var status = await s.Get<SecondFactorService>().GetStatusAsync(user.UserId);
        Assert.False(status.Any);
        Assert.Equal(0, status.RecoveryCodesLeft);
        Assert.False(await s.Get<SessionService>().IsCurrentAsync(user.UserId, session.Id, first.User!.SecurityStamp));
        Assert.Equal(SignInOutcome.SecondFactorSetUpNeeded, (await signIn.SignInAsync("scrutineer", Password)).Outcome);
        using var connection = db.Factory.Open();
        Assert.Equal(1, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_log WHERE action = 'reset-second-factor' AND user_name = 'admin'"));
    }

    [Fact]
    public async Task TheDailyPass_DisablesAccountsUnusedForNinetyDays_KeepsTheLastAdministrator_AndTellsTheAdministrators()
    {
        using var db = NewDatabase();
        var clock = new TestClock(Start);
        using var s = new ClockedServices(db, clock);
        var admins = s.Get<UserAdminService>();
        await admins.CreateAsync(Actor.System, new NewUser("admin", "Admin", Role.Administrator, null, Password, "admin@partnership.example.org"));
        await admins.CreateAsync(Actor.System, new NewUser("leaver", "Leaver", Role.Executive, null, Password));
        await admins.CreateAsync(Actor.System, new NewUser("stayer", "Stayer", Role.Executive, null, Password));
        var lifecycle = s.Get<AccountLifecycleService>();

        clock.Advance(TimeSpan.FromDays(60));
        Assert.Equal(SignInOutcome.Success, (await s.Get<SignInService>().SignInAsync("stayer", Password)).Outcome);
        Assert.Empty(await lifecycle.DisableUnusedAsync(Actor.System));
        clock.Advance(TimeSpan.FromDays(31));
        var disabled = await lifecycle.DisableUnusedAsync(Actor.System);
        var again = await lifecycle.DisableUnusedAsync(Actor.System);

        Assert.Equal(["leaver"], disabled);
        Assert.Empty(again);
        var users = (await s.Get<IUserRepository>().GetAllAsync()).ToDictionary(u => u.UserName);
        Assert.True(users["leaver"].IsDisabled);
        Assert.False(users["stayer"].IsDisabled);
        Assert.False(users["admin"].IsDisabled);
        var notice = Assert.Single((await s.Get<IOutboxRepository>().SearchAsync(new OutboxQuery(null, NoticeKinds.AccountsDisabled, null, 0, 10))).Messages);
        Assert.Equal("admin@partnership.example.org", notice.To);
        Assert.Contains("1 account", notice.Subject);
        Assert.DoesNotContain("leaver", notice.TextBody + notice.HtmlBody + notice.Subject);
        Assert.Equal(SignInOutcome.Disabled, (await s.Get<SignInService>().SignInAsync("leaver", Password)).Outcome);
        using var connection = db.Factory.Open();
        Assert.Equal("not used for 90 days", connection.ExecuteScalar<string>(
            "SELECT new_values FROM audit_log WHERE action = 'disable' AND entity_id = @id", new { id = users["leaver"].Id.ToString() }));
    }
}

public sealed class SecondFactorTestsOnSqlite() : SecondFactorTests(DatabaseEngine.Sqlite);

public sealed class SecondFactorTestsOnPostgres() : SecondFactorTests(DatabaseEngine.Postgres);
