using AuditTool.Data;
using AuditTool.Domain.Security;
using static AuditTool.Web.Cli.CommandLine;

namespace AuditTool.Web.Cli.Verbs;

internal sealed class VerifyAuditLogVerb() : Verb("verify-audit-log", """
              verify-audit-log                check the audit log's hash chain from its first line to its last and
                                              record the check; names the first line that was changed, deleted or
                                              inserted out of order; exits 1 when the chain is broken
            """)
{
    public override Task<int> RunAsync(VerbContext c) => VerifyAuditLogAsync(c.Args, c.Database, c.Out, c.Err);

    private static async Task<int> VerifyAuditLogAsync(Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr)
    {
        const string verb = "verify-audit-log";
        if (!await args.ExpectNoMoreAsync(verb, 0, stderr))
        {
            return Usage;
        }

        using var services = Services(database);
        services.GetRequiredService<MigrationRunner>().Migrate();
        var check = await services.GetRequiredService<Domain.Logging.AuditLogService>().VerifyAsync(Actor.System);
        if (check.Intact)
        {
            await stdout.WriteLineAsync($"{verb}: the audit log is intact: {check.Message}");
            return Ok;
        }

        await stderr.WriteLineAsync($"{verb}: the audit log has been tampered with. {check.Message}");
        return Failed;
    }
}
