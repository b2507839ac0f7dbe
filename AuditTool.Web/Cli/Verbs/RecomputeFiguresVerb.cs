using AuditTool.Data;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Security;
using static AuditTool.Web.Cli.CommandLine;

namespace AuditTool.Web.Cli.Verbs;

internal sealed class RecomputeFiguresVerb() : Verb("recompute-figures", """
              recompute-figures [AUDIT_ID]    compute a published audit's figures again from its answers (every
                                              published audit without AUDIT_ID), say whether they match the
                                              figures kept when it was published, and keep the new ones
            """)
{
    public override Task<int> RunAsync(VerbContext c) => RecomputeFiguresAsync(c.Args, c.Database, c.Out, c.Err);

    private static async Task<int> RecomputeFiguresAsync(Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr)
    {
        const string verb = "recompute-figures";
        if (args.Positional.Count > 1)
        {
            await stderr.WriteLineAsync($"{verb}: give at most one audit id.");
            return Usage;
        }

        long? only = null;
        if (args.Positional.Count == 1)
        {
            if (!long.TryParse(args.Positional[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                await stderr.WriteLineAsync($"{verb}: '{args.Positional[0]}' is not an audit id.");
                return Usage;
            }

            only = id;
        }

        using var services = Services(database);
        services.GetRequiredService<MigrationRunner>().Migrate();
        var all = await services.GetRequiredService<IAuditRepository>().GetManyAsync();
        var audits = all.Where(a => a.Status == AuditStatuses.Published && (only is null || a.Id == only)).OrderBy(a => a.Id).ToList();
        if (only is not null && audits.Count == 0)
        {
            await stderr.WriteLineAsync(all.Any(a => a.Id == only)
                ? $"{verb}: audit {only} is not published; an audit's figures are kept when it is published."
                : $"{verb}: there is no audit {only}.");
            return Usage;
        }

        var figures = services.GetRequiredService<Domain.Findings.FiguresService>();
        var differed = 0;
        foreach (var audit in audits)
        {
            var (different, wereKept) = await figures.RecomputeAsync(Actor.System, audit.Id);
            differed += different ? 1 : 0;
            await stdout.WriteLineAsync($"{verb}: audit {audit.Id} \"{audit.Title}\": " + (!wereKept
                ? "no figures were kept; they are kept now."
                : different
                    ? "the figures computed now differ from those kept at publication; the new ones are kept now."
                    : "the figures computed now match those kept at publication."));
        }

        await stdout.WriteLineAsync($"{verb}: {audits.Count} published audit{(audits.Count == 1 ? "" : "s")}, {differed} with different figures.");
        return Ok;
    }
}
