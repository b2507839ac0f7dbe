using AuditTool.Data;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Security;
using static AuditTool.Web.Cli.CommandLine;

namespace AuditTool.Web.Cli.Verbs;

internal sealed class HoldVerb() : Verb("hold", """
              hold AUDIT_ID [--case REF] --reason TEXT
                                              place a legal hold on an audit (or, with --case, on that case
                                              reference in every audit): nothing held is disposed of; prints its id
            """)
{
    public override Task<int> RunAsync(VerbContext c) => HoldAsync(c.Args, c.Database, c.Out, c.Err);

    private static async Task<int> HoldAsync(Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr)
    {
        const string verb = "hold";
        if (!await args.ExpectNoMoreAsync(verb, 1, stderr))
        {
            return Usage;
        }

        if (!long.TryParse(args.Positional[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var auditId))
        {
            await stderr.WriteLineAsync($"{verb}: '{args.Positional[0]}' is not an audit id.");
            return Usage;
        }

        if (await NoDatabaseAsync(verb, database, stderr))
        {
            return Usage;
        }

        using var services = Services(database);
        services.GetRequiredService<MigrationRunner>().Migrate();
        var audit = await services.GetRequiredService<IAuditRepository>().GetByIdAsync(auditId);
        if (audit is null)
        {
            await stderr.WriteLineAsync($"{verb}: there is no audit {auditId}.");
            return Usage;
        }

        var caseRef = args.Option("case");
        if (caseRef is not null && !(await services.GetRequiredService<IAuditRepository>().GetCasesAsync(auditId))
                .Any(c => string.Equals(c.Ref, caseRef.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            await stderr.WriteLineAsync($"{verb}: audit {auditId} has no case '{caseRef}'.");
            return Usage;
        }

        try
        {
            var id = await services.GetRequiredService<Domain.DataProtection.RetentionService>()
                .PlaceHoldAsync(Actor.System, caseRef is null ? auditId : null, caseRef, args.Option("reason"));
            await stdout.WriteLineAsync(caseRef is null
                ? $"{verb}: hold {id} placed on audit {auditId} \"{audit.Title}\": nothing of it is disposed of until it is released."
                : $"{verb}: hold {id} placed on case {caseRef.Trim()} (in audit {auditId} and every other audit): nothing of it is disposed of until it is released.");
            return Ok;
        }
        catch (DomainValidationException ex)
        {
            await stderr.WriteLineAsync($"{verb}: nothing was held: {ex.Message}");
            return Usage;
        }
    }
}
