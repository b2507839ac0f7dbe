using AuditTool.Data;
using AuditTool.Domain.Packages;
using AuditTool.Domain.Security;
using static AuditTool.Web.Cli.CommandLine;

namespace AuditTool.Web.Cli.Verbs;

internal sealed class ExportAuditVerb() : Verb("export-audit", """
              export-audit ID FILE            write audit ID as an audittool.audit/v1 package to FILE
            """)
{
    public override Task<int> RunAsync(VerbContext c) => ExportAuditAsync(c.Args, c.Database, c.Out, c.Err);

    private static Task<int> ExportAuditAsync(Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr) =>
        ExportToFileAsync("export-audit", args, database, stdout, stderr,
            (services, auditId, file) => services.GetRequiredService<AuditPackageService>().ExportAsync(Actor.System, auditId, file));
}
