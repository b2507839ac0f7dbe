using AuditTool.Data;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Security;
using AuditTool.Tests.Support;
using Dapper;

namespace AuditTool.Tests.Data;

/// <summary>
/// Passkeys through the real services on both engines, answered by an authenticator in code (so a test can do what a
/// real one never would): set up at sign-in, then the second factor after a password, then a sign-in without one; and
/// refused, changing nothing, when an answer is replayed, is another account's, winds its counter back, comes from
/// another site, is late, or does not verify the person for a sign-in without a password.
/// </summary>
public abstract class PasskeyTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    private const string Password = "correct-horse-battery";
    private const string Origin = "https://audit.partnership.example";
    private static readonly PasskeySite Site = new("audit.partnership.example", Origin);
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 9, 0, 10, TimeSpan.Zero);


    private static async Task RegisterAsync(ClockedServices s, long userId, SoftwareAuthenticator authenticator, string? name = null)
    {
        var ceremony = await s.Get<PasskeyService>().BeginRegistrationAsync(userId, Site);
        await s.Get<PasskeyService>().FinishRegistrationAsync(userId, ceremony.Id, authenticator.Create(ceremony.OptionsJson), name, Site);
    }

    /// <summary>Two accounts, alice and bob, each with a passkey of their own.</summary>
    private sealed record TwoAccounts(ClockedServices S, Actor Alice, Actor Bob, SoftwareAuthenticator AliceKey, SoftwareAuthenticator BobKey) : IDisposable
    {
        public void Dispose()
        {
            AliceKey.Dispose();
            BobKey.Dispose();
            S.Dispose();
        }
    }

    private static async Task<TwoAccounts> TwoAccountsAsync(TestDatabase db)
    {
        var alice = await db.CreateUserAsync("alice", Role.Executive);
        var bob = await db.CreateUserAsync("bob", Role.Executive);
        var accounts = new TwoAccounts(new ClockedServices(db, new TestClock(Start)), alice, bob,
            new SoftwareAuthenticator(Origin, Site.RelyingPartyId), new SoftwareAuthenticator(Origin, Site.RelyingPartyId));
        await RegisterAsync(accounts.S, alice.UserId, accounts.AliceKey);
        await RegisterAsync(accounts.S, bob.UserId, accounts.BobKey);
        return accounts;
    }

    private static long Sessions(TestDatabase db)
    {
        using var connection = db.Factory.Open();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sessions");
    }

    [Fact]
    public async Task APasskeySetUpAtSignIn_CompletesIt_ThenConfirmsTheNextSignIn_AndThenSignsInWithoutThePassword()
    {
        using var db = NewDatabase();
        var user = await db.CreateUserAsync("scrutineer", Role.Scrutineer);
        using var s = new ClockedServices(db, new TestClock(Start));
        using var authenticator = new SoftwareAuthenticator(Origin, Site.RelyingPartyId);
        var signIn = s.Get<SignInService>();
        var passkeys = s.Get<PasskeyService>();

        // The role needs a second factor and has none: a passkey set up then completes the sign-in.
        var first = await signIn.SignInAsync("scrutineer", Password);
        Assert.Equal(SignInOutcome.SecondFactorSetUpNeeded, first.Outcome);
        await RegisterAsync(s, user.UserId, authenticator, "Work laptop");
        var completed = await signIn.CompleteAfterSetUpAsync(first.Pending!);
        Assert.Equal(SignInOutcome.Success, completed.Outcome);
        Assert.Equal("password+passkey", completed.Session!.Method);
        var listed = Assert.Single(await passkeys.ListAsync(new Actor(user.UserId, "scrutineer", Role.Scrutineer, null)));
        Assert.Equal("Work laptop", listed.Name);

        // The next sign-in asks for it after the password.
        s.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await signIn.SignInAsync("scrutineer", Password);
        Assert.Equal(SignInOutcome.SecondFactorNeeded, second.Outcome);
        var check = await passkeys.BeginAssertionAsync(user.UserId, Site);
        var confirmed = await signIn.PasskeySecondFactorAsync(second.Pending!, check.Id, authenticator.Get(check.OptionsJson), Site);
        Assert.Equal(SignInOutcome.Success, confirmed.Outcome);
        Assert.Equal("password+passkey", confirmed.Session!.Method);

        // And it signs in on its own: it names its account, and the person was verified by the authenticator.
        var alone = await passkeys.BeginAssertionAsync(null, Site);
        var direct = await signIn.PasskeySignInAsync(alone.Id, authenticator.Get(alone.OptionsJson), Site);
        Assert.Equal(SignInOutcome.Success, direct.Outcome);
        Assert.Equal("scrutineer", direct.User!.UserName);
        Assert.Equal("passkey", direct.Session!.Method);
        using var connection = db.Factory.Open();
        Assert.Equal(2L, connection.ExecuteScalar<long>("SELECT sign_count FROM user_passkeys WHERE user_id = @id", new { id = user.UserId }));
        Assert.Equal(1L, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_log WHERE action = 'add-passkey'"));
    }

    [Fact]
    public async Task AnAnswer_Replayed_OrOfAnotherAccount_OrWithItsCounterWoundBack_OrFromAnotherSite_OrLate_IsRefused_AndChangesNothing()
    {
        using var db = NewDatabase();
        using var t = await TwoAccountsAsync(db);
        var (s, alice, bob, aliceKey, bobKey) = (t.S, t.Alice, t.Bob, t.AliceKey, t.BobKey);
        var signIn = s.Get<SignInService>();
        var passkeys = s.Get<PasskeyService>();

        // One good sign-in, then its very answer again: the challenge was taken once.
        var ceremony = await passkeys.BeginAssertionAsync(null, Site);
        var answer = aliceKey.Get(ceremony.OptionsJson);
        Assert.Equal(SignInOutcome.Success, (await signIn.PasskeySignInAsync(ceremony.Id, answer, Site)).Outcome);
        var sessions = Sessions(db);
        var replay = await signIn.PasskeySignInAsync(ceremony.Id, answer, Site);
        Assert.Equal(SignInOutcome.Failed, replay.Outcome);
        Assert.Contains("expired or was used already", replay.Message);
        // The same answer to a new challenge: it signed the old one.
        var fresh = await passkeys.BeginAssertionAsync(null, Site);
        Assert.Equal(SignInOutcome.Failed, (await signIn.PasskeySignInAsync(fresh.Id, answer, Site)).Outcome);

        // Bob's password, then Alice's passkey as his second factor.
        var bobPending = (await signIn.SignInAsync("bob", Password)).Pending!;
        var forBob = await passkeys.BeginAssertionAsync(bob.UserId, Site);
        var crossed = await signIn.PasskeySecondFactorAsync(bobPending, forBob.Id, aliceKey.Get(forBob.OptionsJson), Site);
        Assert.Equal(SignInOutcome.Failed, crossed.Outcome);
        Assert.Equal("This passkey belongs to another account.", crossed.Message);

        // A counter wound back (a cloned authenticator): refused, and the stored counter stays where it was.
        long Stored()
        {
            using var connection = db.Factory.Open();
            return connection.ExecuteScalar<long>("SELECT sign_count FROM user_passkeys WHERE user_id = @id", new { id = alice.UserId });
        }

        var before = Stored();
        aliceKey.Counter = 0;
        var back = await passkeys.BeginAssertionAsync(null, Site);
        Assert.Equal(SignInOutcome.Failed, (await signIn.PasskeySignInAsync(back.Id, aliceKey.Get(back.OptionsJson), Site)).Outcome);
        Assert.Equal(before, Stored());
        aliceKey.Counter = (uint)before + 1;

        // Another site's page asking Alice's authenticator: the origin is not this site's.
        using (var phishing = new SoftwareAuthenticator("https://audit-partnership.example.net", Site.RelyingPartyId))
        {
            var elsewhere = await passkeys.BeginAssertionAsync(null, Site);
            Assert.Equal(SignInOutcome.Failed, (await signIn.PasskeySignInAsync(elsewhere.Id, phishing.Get(elsewhere.OptionsJson), Site)).Outcome);
        }

        // Late: a challenge is good for five minutes.
        var late = await passkeys.BeginAssertionAsync(null, Site);
        s.Clock.Advance(PasskeyService.CeremonyLifetime + TimeSpan.FromSeconds(1));
        Assert.Equal(SignInOutcome.Failed, (await signIn.PasskeySignInAsync(late.Id, aliceKey.Get(late.OptionsJson), Site)).Outcome);

        // Without the person verified (no PIN or biometric), a passkey does not sign in on its own.
        aliceKey.Verifies = false;
        var unverified = await passkeys.BeginAssertionAsync(null, Site);
        Assert.Equal(SignInOutcome.Failed, (await signIn.PasskeySignInAsync(unverified.Id, aliceKey.Get(unverified.OptionsJson), Site)).Outcome);

        // Garbage and forged ceremony ids get a plain answer too.
        Assert.Equal(SignInOutcome.Failed, (await signIn.PasskeySignInAsync("not-a-ceremony", "{}", Site)).Outcome);
        Assert.Equal(SignInOutcome.Failed, (await signIn.PasskeySignInAsync(null, "not json", Site)).Outcome);
        Assert.Equal(sessions, Sessions(db));
    }

    [Fact]
    public async Task WrongPasskeyAnswersForASecondFactor_CountTowardsTheLockout_AndAPasskeyIsRemovedOnlyByItsOwner()
    {
        using var db = NewDatabase();
        using var t = await TwoAccountsAsync(db);
        var (s, alice, bob, aliceKey, bobKey) = (t.S, t.Alice, t.Bob, t.AliceKey, t.BobKey);
        var signIn = s.Get<SignInService>();
        var passkeys = s.Get<PasskeyService>();

        // The password attempt itself counts as one; four wrong passkey answers make five: locked.
        var pending = (await signIn.SignInAsync("alice", Password)).Pending!;
        SignInResult last = null!;
        for (var i = 0; i < SignInService.MaxFailures - 1; i++)
        {
            var c = await passkeys.BeginAssertionAsync(alice.UserId, Site);
            last = await signIn.PasskeySecondFactorAsync(pending, c.Id, bobKey.Get(c.OptionsJson), Site);
        }

        Assert.Equal(SignInOutcome.LockedOut, last.Outcome);
        var good = await passkeys.BeginAssertionAsync(alice.UserId, Site);
        Assert.Equal(SignInOutcome.LockedOut, (await signIn.PasskeySecondFactorAsync(pending, good.Id, aliceKey.Get(good.OptionsJson), Site)).Outcome);

        var aliceActor = new Actor(alice.UserId, "alice", Role.Executive, null);
        var bobsPasskey = Assert.Single(await passkeys.ListAsync(new Actor(bob.UserId, "bob", Role.Executive, null)));
        await Assert.ThrowsAsync<DomainValidationException>(() => passkeys.RemoveAsync(aliceActor, bobsPasskey.Id));
        Assert.Single(await passkeys.ListAsync(new Actor(bob.UserId, "bob", Role.Executive, null)));
        await passkeys.RemoveAsync(aliceActor, Assert.Single(await passkeys.ListAsync(aliceActor)).Id);
        Assert.Empty(await passkeys.ListAsync(aliceActor));
    }
}

public sealed class PasskeyTestsOnSqlite() : PasskeyTests(DatabaseEngine.Sqlite);

public sealed class PasskeyTestsOnPostgres() : PasskeyTests(DatabaseEngine.Postgres);
