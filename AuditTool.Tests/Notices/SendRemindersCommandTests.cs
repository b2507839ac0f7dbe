using AuditTool.Data;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Notices;
using AuditTool.Tests.Support;
using AuditTool.Web.Cli;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Tests.Notices;

/// <summary>The <c>send-reminders</c> verb (one pass now, for a scheduler outside the app) and <c>create-user --email</c>.</summary>
public abstract class SendRemindersCommandTests(DatabaseEngine engine) : DatabaseTests(engine)
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(IDictionary<string, string?> settings, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, stdout, stderr, TextReader.Null,
            new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task SendReminders_RunsOnePass_PrintsWhatItSent_AndASecondRunSendsNothing()
    {
        // The verb keeps the real clock: the audit opens now, its deadline months away.
        using var s = await NoticeScenario.CreateAsync(Engine, DateTimeOffset.UtcNow);

        var first = await RunAsync(s.Settings, "send-reminders", "--db", s.Location);

        Assert.True(first.Code == CommandLine.Ok, first.Err);
        Assert.Contains("4 new message(s) in the outbox; 4 sent, 0 not sent.", first.Out);
        foreach (var to in new[] { "police.auditor@police.example.org", "health.auditor@health.example.org", "health.auditor2@health.example.org", "education.auditor@schools.example.org" })
        {
            Assert.Contains($"opening to {to}: Audit open:", first.Out);
        }

        Assert.Equal(4, s.Sink.Messages().Count);

        var second = await RunAsync(s.Settings, "send-reminders", "--db", s.Location);

        Assert.Equal(CommandLine.Ok, second.Code);
        Assert.Contains("0 new message(s) in the outbox; 0 sent, 0 not sent.", second.Out);
        Assert.Equal(4, s.Sink.Messages().Count);
    }

    [Fact]
    public async Task SendReminders_WithoutAHost_SaysSo_AndWithABadSetting_NamesIt_AndNeitherWritesAnything()
    {
        using var s = await NoticeScenario.CreateAsync(Engine, DateTimeOffset.UtcNow);

        var none = await RunAsync(new Dictionary<string, string?>(), "send-reminders", "--db", s.Location);
        var bad = await RunAsync(new Dictionary<string, string?>(s.Settings) { ["AuditTool:Smtp:Security"] = "ssl" }, "send-reminders", "--db", s.Location);

        Assert.Equal(CommandLine.Failed, none.Code);
        Assert.Contains("send-reminders: No SMTP host is set (AuditTool:Smtp:Host)", none.Err);
        Assert.Equal(CommandLine.Usage, bad.Code);
        Assert.Contains("send-reminders: AuditTool:Smtp:Security must be none, starttls or tls (not 'ssl').", bad.Err);
        Assert.Empty(await s.OutboxAsync());
        Assert.Empty(s.Sink.Messages());
    }

    [Fact]
    public async Task SendReminders_WhenTheServerIsDown_ExitsNonZero_AndTheMessagesWaitInTheOutbox()
    {
        using var s = await NoticeScenario.CreateAsync(Engine, DateTimeOffset.UtcNow, smtpRunning: false);

        var run = await RunAsync(s.Settings, "send-reminders", "--db", s.Location);

        Assert.Equal(CommandLine.Failed, run.Code);
        Assert.Contains("4 new message(s) in the outbox; 0 sent, 4 not sent.", run.Out);
        Assert.Contains("(tried again later)", run.Out);
        Assert.All(await s.OutboxAsync(), m => Assert.Equal(OutboxStatuses.Failed, m.Status));
    }

    [Fact]
    public async Task CreateUser_TakesAnEmailAddress_AndRefusesABadOneWithoutTouchingTheDatabase()
    {
        using var db = NewDatabase();
        var none = new Dictionary<string, string?>();

        var bad = await RunAsync(none, "create-user", "--db", db.Location, "--username", "chief", "--role", "administrator",
            "--password", "correct-horse-battery", "--email", "chief at example.org");
        var good = await RunAsync(none, "create-user", "--db", db.Location, "--username", "chief", "--role", "administrator",
            "--password", "correct-horse-battery", "--email", "chief@partnership.example.org");

        Assert.Equal(CommandLine.Usage, bad.Code);
        Assert.Contains("create-user: --email: \"chief at example.org\" is not an e-mail address", bad.Err);
        Assert.Equal(CommandLine.Ok, good.Code);
        Assert.Equal("chief@partnership.example.org", (await db.Get<IUserRepository>().GetByUserNameAsync("chief"))!.Email);
        Assert.Contains("send-reminders", CommandLine.UsageText);
        Assert.Contains("--email ADDRESS", CommandLine.UsageText);
    }
}

public sealed class SendRemindersCommandTestsOnSqlite() : SendRemindersCommandTests(DatabaseEngine.Sqlite);

public sealed class SendRemindersCommandTestsOnPostgres() : SendRemindersCommandTests(DatabaseEngine.Postgres);
