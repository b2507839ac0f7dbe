using AuditTool.Data;
using AuditTool.Domain.Security;
using AuditTool.Web.Hosting;
using static AuditTool.Web.Cli.CommandLine;

namespace AuditTool.Web.Cli.Verbs;

internal sealed class ApplyRetentionVerb() : Verb("apply-retention", """
              apply-retention [--as-of DATE] [--dry-run]
                                              one pass of the retention policy as of DATE (yyyy-MM-dd, default
                                              today): tells the scrutineers (outbox) of disposals due within the
                                              notice period, destroys case content that is due, one transaction per
                                              audit, and prints what it destroyed, told and skipped (held);
                                              --dry-run prints the same and changes nothing; defaults from
                                              AuditTool:Retention:EvidenceMonths, CaseDataMonths, NoticeDays
            """)
{
    public override Task<int> RunAsync(VerbContext c) => ApplyRetentionAsync(c.Args, c.Database, c.Settings(), c.Out, c.Err);

    private static async Task<int> ApplyRetentionAsync(Arguments args, DatabaseTarget database, IConfiguration settings, TextWriter stdout, TextWriter stderr)
    {
        const string verb = "apply-retention";
        if (!await args.ExpectNoMoreAsync(verb, 0, stderr))
        {
            return Usage;
        }

        DateOnly? asOf = null;
        if (args.Option("as-of") is { } text)
        {
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
            {
                await stderr.WriteLineAsync($"{verb}: --as-of '{text}' is not a date: write it as yyyy-MM-dd, for example 2027-03-31.");
                return Usage;
            }

            asOf = day;
        }

        if (await NoDatabaseAsync(verb, database, stderr))
        {
            return Usage;
        }

        var options = settings.GetSection($"{AuditToolOptions.Section}:Retention").Get<RetentionOptions>() ?? new RetentionOptions();
        if (options.EvidenceMonths is < 1 or > Domain.DataProtection.RetentionSettings.MaxMonths
            || options.CaseDataMonths is < 1 or > Domain.DataProtection.RetentionSettings.MaxMonths || options.NoticeDays is < 0 or > 365)
        {
            await stderr.WriteLineAsync($"{verb}: AuditTool:Retention needs EvidenceMonths and CaseDataMonths from 1 to {Domain.DataProtection.RetentionSettings.MaxMonths} and NoticeDays from 0 to 365.");
            return Usage;
        }

        using var services = AuditToolServices.For(database, settings, s => s.AddSingleton(
            new Domain.DataProtection.RetentionSettings(options.EvidenceMonths, options.CaseDataMonths, options.NoticeDays)));
        services.GetRequiredService<MigrationRunner>().Migrate();
        Domain.DataProtection.RetentionPass pass;
        try
        {
            pass = await services.GetRequiredService<Domain.DataProtection.RetentionService>().ApplyAsync(Actor.System, asOf, args.Flag("dry-run"));
        }
        catch (DomainValidationException ex)
        {
            await stderr.WriteLineAsync($"{verb}: {ex.Message}");
            return Failed;
        }

        await stdout.WriteLineAsync($"{verb}: as of {pass.AsOf:yyyy-MM-dd}{(pass.DryRun ? " (dry run: nothing changed)" : "")}");
        foreach (var d in pass.Disposed)
        {
            await stdout.WriteLineAsync($"  {(pass.DryRun ? "would destroy" : "destroyed")} audit {d.AuditId} “{d.AuditTitle}” {d.Stage.ToString().ToLowerInvariant()} (due {d.DueOn:yyyy-MM-dd}): {d.Counts.Describe()}");
        }

        foreach (var n in pass.Noticed)
        {
            await stdout.WriteLineAsync($"  {(pass.DryRun ? "would tell" : "told")} the scrutineers: audit {n.AuditId} “{n.AuditTitle}” {n.Stage.ToString().ToLowerInvariant()} due {n.DueOn:yyyy-MM-dd}: {n.Counts.Describe()}");
        }

        foreach (var k in pass.Skipped)
        {
            await stdout.WriteLineAsync($"  skipped audit {k.AuditId} “{k.AuditTitle}” {k.Stage.ToString().ToLowerInvariant()} (due {k.DueOn:yyyy-MM-dd}): {k.What}");
        }

        if (pass.Disposed.Count + pass.Noticed.Count + pass.Skipped.Count == 0)
        {
            await stdout.WriteLineAsync("  nothing is due.");
        }

        return Ok;
    }
}
