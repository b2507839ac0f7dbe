using AuditTool.Data;
using AuditTool.Domain.Security;
using static AuditTool.Web.Cli.CommandLine;

namespace AuditTool.Web.Cli.Verbs;

internal sealed class ExportReportVerb() : Verb("export-report", """
              export-report ID FILE           write published audit ID's report as a Word document (.docx) to FILE
            """)
{
    public override Task<int> RunAsync(VerbContext c) => ExportReportAsync(c.Args, c.Database, c.Out, c.Err);

    private static Task<int> ExportReportAsync(Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr) =>
        ExportToFileAsync("export-report", args, database, stdout, stderr,
            (services, auditId, file) => services.GetRequiredService<Domain.Findings.ReportDocumentService>().ExportAsync(Actor.System, auditId, file));
}
