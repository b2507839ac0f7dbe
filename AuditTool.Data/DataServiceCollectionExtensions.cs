using AuditTool.Domain.Accounts;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Templates;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Data;

public static class DataServiceCollectionExtensions
{
    public static IServiceCollection AddAuditToolData(this IServiceCollection services, DatabaseTarget database)
    {
        services.AddSingleton(database);
        services.AddSingleton<ConnectionFactory>();
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<KeyRingRepository>();
        services.AddSingleton<ChangeFeed>();
        services.AddSingleton<IUserRepository, UserRepository>();
        services.AddSingleton<IExternalLoginRepository, ExternalLoginRepository>();
        services.AddSingleton<ISessionRepository, SessionRepository>();
        services.AddSingleton<ISecondFactorRepository, SecondFactorRepository>();
        services.AddSingleton<IPasskeyRepository, PasskeyRepository>();
        services.AddSingleton<IAgencyRepository, AgencyRepository>();
        services.AddSingleton<ITemplateRepository, TemplateRepository>();
        services.AddSingleton<IAuditQueries, AuditQueries>();
        services.AddSingleton<IAuditRepository, AuditRepository>();
        services.AddSingleton<AuditTool.Domain.Packages.IAuditPackageStore, AuditPackageStore>();
        services.AddSingleton<IAuditLog, AuditLogRepository>();
        services.AddSingleton<AuditTool.Domain.Findings.IFindingRepository, FindingRepository>();
        services.AddSingleton<AuditTool.Domain.Findings.IActionRepository, ActionRepository>();
        services.AddSingleton<AuditTool.Domain.Findings.IModerationRepository, ModerationRepository>();
        services.AddSingleton<AuditTool.Domain.Concerns.IConcernRepository, ConcernRepository>();
        services.AddSingleton<AuditTool.Domain.Calibration.ICalibrationRepository, CalibrationRepository>();
        services.AddSingleton<AuditTool.Domain.Aggregation.IFiguresSource, FiguresSource>();
        services.AddSingleton<AuditTool.Domain.Aggregation.IFiguresStore, FiguresStore>();
        services.AddSingleton<AuditTool.Domain.Findings.ISameMeasureRepository, SameMeasureRepository>();
        services.AddSingleton<AuditTool.Domain.Exports.IResponseSource, Export.ResponseSource>();
        services.AddSingleton<AuditTool.Domain.Notices.IOutboxRepository, OutboxRepository>();
        services.AddSingleton<AuditTool.Domain.Notices.INoticeSource, NoticeSource>();
        services.AddSingleton<AuditTool.Domain.Notices.INoticePassLock, NoticePassLock>();
        services.AddSingleton<AuditTool.Domain.Workbooks.IWorkbookStore, Workbooks.WorkbookStore>();
        services.AddSingleton<AuditTool.Domain.DataProtection.IRetentionRepository, RetentionRepository>();
        services.AddSingleton<AuditTool.Domain.DataProtection.ICaseFileSource, CaseFileSource>();
        services.AddSingleton<AuditTool.Domain.DataProtection.IDisclosureLog, DisclosureLog>();
        return services;
    }
}
