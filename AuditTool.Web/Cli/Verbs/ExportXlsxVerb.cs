using AuditTool.Data;
using AuditTool.Domain.Security;
using static AuditTool.Web.Cli.CommandLine;

namespace AuditTool.Web.Cli.Verbs;

internal sealed class ExportXlsxVerb() : Verb("export-xlsx", """
              export-xlsx ID FILE             write audit ID's Excel workbook (.xlsx) to FILE
            """)
{
    public override Task<int> RunAsync(VerbContext c) => ExportXlsxAsync(c.Args, c.Database, c.Out, c.Err);

    private static Task<int> ExportXlsxAsync(Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr) =>
        ExportToFileAsync("export-xlsx", args, database, stdout, stderr,
            (services, auditId, file) => services.GetRequiredService<Domain.Exports.ExportService>().ExportXlsxAsync(Actor.System, auditId, file));
}
