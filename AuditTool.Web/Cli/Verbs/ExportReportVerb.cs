using AuditTool.Data;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Notices;
using AuditTool.Domain.Packages;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;
using AuditTool.Domain.Workbooks;
using AuditTool.Web.Hosting;
using System.Data.Common;
using Microsoft.Data.Sqlite;
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
