using AuditTool.Domain.Accounts;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Home;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;

namespace AuditTool.Domain;

/// <summary>The use-case services, listed once so the web host and the command line wire the same set.</summary>
public static class DomainServices
{
    public static IReadOnlyList<Type> All { get; } =
    [
        typeof(AccessPolicy),
        typeof(PasskeyService),
        typeof(SignInService),
        typeof(ExternalSignInService),
        typeof(SessionService),
        typeof(SecondFactorService),
        typeof(AccountLifecycleService),
        typeof(UserAdminService),
        typeof(AgencyService),
        typeof(TemplateLibraryService),
        typeof(TemplateDesignService),
        typeof(HomeService),
        typeof(Audits.AuditPlanningService),
        typeof(Audits.ReturnService),
        typeof(Packages.AuditPackageService),
        typeof(Findings.FiguresService),
        typeof(Findings.ModerationService),
        typeof(Concerns.ConcernService),
        typeof(Calibration.CalibrationService),
        typeof(Findings.FindingsService),
        typeof(Findings.ReportService),
        typeof(Findings.TrendsService),
        typeof(Findings.ReportDocumentService),
        typeof(Exports.ExportService),
        typeof(Logging.AuditLogService),
        typeof(Notices.NoticeService),
        typeof(Workbooks.WorkbookService),
        typeof(DataProtection.RetentionService),
        typeof(DataProtection.CaseFileService),
        typeof(DataProtection.DisclosureService),
    ];
}
