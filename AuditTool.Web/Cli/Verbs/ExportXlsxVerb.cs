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

internal sealed class ExportXlsxVerb() : Verb("export-xlsx", """
              export-xlsx ID FILE             write audit ID's Excel workbook (.xlsx) to FILE
            """)
{
    public override Task<int> RunAsync(VerbContext c) => ExportXlsxAsync(c.Args, c.Database, c.Out, c.Err);

    private static Task<int> ExportXlsxAsync(Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr) =>
        ExportToFileAsync("export-xlsx", args, database, stdout, stderr,
            (services, auditId, file) => services.GetRequiredService<Domain.Exports.ExportService>().ExportXlsxAsync(Actor.System, auditId, file));
}
