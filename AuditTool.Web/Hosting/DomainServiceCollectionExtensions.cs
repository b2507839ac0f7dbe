using AuditTool.Domain;
using AuditTool.Domain.Accounts;
using AuditTool.Web.Auth;

namespace AuditTool.Web.Hosting;

public static class DomainServiceCollectionExtensions
{
    public static IServiceCollection AddAuditToolDomain(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IPasswordHasher, AspNetPasswordHasher>();
        services.AddSingleton(sp => new SessionSettings(TimeSpan.FromHours(sp.GetRequiredService<AuditToolOptions>().Sessions.AbsoluteHours)));
        foreach (var type in DomainServices.All)
        {
            services.AddSingleton(type);
        }

        services.AddSingleton<FirstRun>();
        services.AddSingleton<DemoAudits>();
        services.AddSingleton<Exports.ExportJobs>();
        services.AddSingleton<ReturnChangeHub>();
        services.AddSingleton<Domain.Audits.IReturnChangeNotifier>(sp => sp.GetRequiredService<ReturnChangeHub>());
        services.AddSingleton<AccountChangeHub>();
        services.AddSingleton<IAccountChangeNotifier>(sp => sp.GetRequiredService<AccountChangeHub>());
        return services;
    }
}
