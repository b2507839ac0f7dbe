using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Documents;

public static class DocumentServiceCollectionExtensions
{
    /// <summary>The writers of the files people download: the domain asks for them by their interfaces.</summary>
    public static IServiceCollection AddAuditToolDocuments(this IServiceCollection services)
    {
        services.AddSingleton<AuditTool.Domain.Accounts.ISignInReportWriter, Excel.SignInReportWriter>();
        services.AddSingleton<AuditTool.Domain.Exports.IWorkbookWriter, Excel.XlsxWorkbookWriter>();
        services.AddSingleton<AuditTool.Domain.Workbooks.IAgencyWorkbookFile, Workbooks.AgencyWorkbookFile>();
        services.AddSingleton<AuditTool.Domain.Findings.IReportDocumentWriter, Word.WordReportWriter>();
        return services;
    }
}
