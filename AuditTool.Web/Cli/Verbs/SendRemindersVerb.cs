using AuditTool.Data;
using AuditTool.Domain.Notices;
using AuditTool.Domain.Security;
using AuditTool.Web.Hosting;
using static AuditTool.Web.Cli.CommandLine;

namespace AuditTool.Web.Cli.Verbs;

internal sealed class SendRemindersVerb() : Verb("send-reminders", """
              send-reminders                  one pass of the reminders and notices now (for a scheduler outside
                                              the app): writes what is due to the outbox, sends it, prints what
                                              was sent; SMTP settings as the server reads them (AuditTool:Smtp:*)
            """)
{
    public override Task<int> RunAsync(VerbContext c) => SendRemindersAsync(c.Args, c.Database, c.Settings(), c.Out, c.Err);

    private static async Task<int> SendRemindersAsync(Arguments args, DatabaseTarget database, IConfiguration settings, TextWriter stdout, TextWriter stderr)
    {
        const string verb = "send-reminders";
        if (!await args.ExpectNoMoreAsync(verb, 0, stderr))
        {
            return Usage;
        }

        if (await NoDatabaseAsync(verb, database, stderr))
        {
            return Usage;
        }

        ServiceProvider services;
        try
        {
            services = AuditToolServices.For(database, settings);
        }
        catch (ArgumentException ex)
        {
            foreach (var problem in ex.Message.Split(Environment.NewLine))
            {
                await stderr.WriteLineAsync($"{verb}: {problem}");
            }

            return Usage;
        }

        using (services)
        {
            services.GetRequiredService<MigrationRunner>().Migrate();
            var result = await services.GetRequiredService<NoticeService>().RunPassAsync(Actor.System);
            if (result.Skipped == NoticePassResult.NotConfigured)
            {
                await stderr.WriteLineAsync($"{verb}: {result.Skipped}");
                return Failed;
            }

            if (result.Skipped is not null)
            {
                await stdout.WriteLineAsync(result.Skipped);
                return Ok;
            }

            await stdout.WriteLineAsync($"{result.Queued} new message(s) in the outbox; {result.Sent.Count} sent, {result.Failed.Count} not sent.");
            foreach (var sent in result.Sent)
            {
                await stdout.WriteLineAsync($"sent #{sent.Id} {sent.Kind} to {sent.To}: {sent.Subject}");
            }

            foreach (var failed in result.Failed)
            {
                await stdout.WriteLineAsync($"not sent #{failed.Id} {failed.Kind} to {failed.To}: {failed.Error}{(failed.WillRetry ? " (tried again later)" : "")}");
            }

            if (result.InDoubt > 0)
            {
                await stdout.WriteLineAsync($"{result.InDoubt} message(s) left half-sent by a stopped run are in doubt and wait for an administrator (outbox page).");
            }

            return result.Failed.Count > 0 ? Failed : Ok;
        }
    }
}
