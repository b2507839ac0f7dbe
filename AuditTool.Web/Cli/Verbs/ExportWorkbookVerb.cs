using AuditTool.Data;
using AuditTool.Domain.Security;
using AuditTool.Domain.Workbooks;
using static AuditTool.Web.Cli.CommandLine;

namespace AuditTool.Web.Cli.Verbs;

internal sealed class ExportWorkbookVerb() : Verb("export-workbook", """
              export-workbook AUDIT_ID AGENCY_KEY FILE
                                              write the agency workbook (audittool.workbook/v1, .xlsx) of an open
                                              audit's returns for one agency to FILE, to fill in away from the app
            """)
{
    public override Task<int> RunAsync(VerbContext c) => ExportWorkbookAsync(c.Args, c.Database, c.Out, c.Err);

    /// <summary>export-workbook AUDIT_ID AGENCY_KEY FILE: one agency's open returns as an agency workbook.</summary>
    private static Task<int> ExportWorkbookAsync(Arguments args, DatabaseTarget database, TextWriter stdout, TextWriter stderr) =>
        ExportToFileAsync("export-workbook", 3, args, database, stdout, stderr,
            async (services, auditId, file) =>
            {
                var agencyKey = args.Positional[1];
                var download = await services.GetRequiredService<WorkbookService>().DownloadAsync(Actor.System, auditId, agencyKey, file);
                return $"the agency workbook of '{agencyKey}' for audit {auditId} ({download.Cases} open {(download.Cases == 1 ? "return" : "returns")})";
            },
            (ex, auditId) => ex is AccessDeniedException && ex.Message.StartsWith("You do not have", StringComparison.Ordinal)
                ? $"there is no audit {auditId} with an agency '{args.Positional[1]}'."
                : ex.Message);
}
