using AuditTool.Data;
using AuditTool.Domain.Security;
using static AuditTool.Web.Cli.CommandLine;

namespace AuditTool.Web.Cli.Verbs;

internal sealed class ReleaseHoldVerb() : Verb("release-hold", """
              release-hold HOLD_ID --reason TEXT
                                              release a legal hold; with no argument, list the holds in place
            """)
{
    public override Task<int> RunAsync(VerbContext c) => ReleaseHoldAsync(c.Args, c.Database, c.Out, c.Err);

    private static async Task<int> ReleaseHoldAsync(Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr)
    {
        const string verb = "release-hold";
        if (args.Positional.Count > 1)
        {
            await stderr.WriteLineAsync($"{verb}: give one hold id.");
            return Usage;
        }

        if (await NoDatabaseAsync(verb, database, stderr))
        {
            return Usage;
        }

        using var services = Services(database);
        services.GetRequiredService<MigrationRunner>().Migrate();
        var retention = services.GetRequiredService<Domain.DataProtection.RetentionService>();
        if (args.Positional.Count == 0)
        {
            var holds = await retention.GetHoldsAsync(Actor.System);
            await stdout.WriteLineAsync($"{verb}: {holds.Count} hold{(holds.Count == 1 ? "" : "s")} in place");
            foreach (var h in holds)
            {
                await stdout.WriteLineAsync($"  hold {h.Id}: " + (h.CaseRef is { } c ? $"case {c}" : $"audit {h.AuditId} \"{h.AuditTitle}\"") + $": {h.Reason}");
            }

            return Ok;
        }

        if (!long.TryParse(args.Positional[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var holdId))
        {
            await stderr.WriteLineAsync($"{verb}: '{args.Positional[0]}' is not a hold id.");
            return Usage;
        }

        try
        {
            await retention.ReleaseHoldAsync(Actor.System, holdId, args.Option("reason"));
            await stdout.WriteLineAsync($"{verb}: hold {holdId} released; what it held is disposed of when it falls due.");
            return Ok;
        }
        catch (DomainValidationException ex)
        {
            await stderr.WriteLineAsync($"{verb}: nothing was released: {ex.Message}");
            return Usage;
        }
    }
}
