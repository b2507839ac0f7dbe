using AuditTool.Domain;
using AuditTool.Domain.Accounts;
using AuditTool.Web.Auth;
using Microsoft.AspNetCore.DataProtection;

namespace AuditTool.Web.Hosting;

public static class DomainServiceCollectionExtensions
{
    public static IServiceCollection AddAuditToolDomain(this IServiceCollection services)
    {
        // Sign-in cookies, antiforgery tokens and protected secrets stay valid across restarts and on every server of the
        // same database: the key ring lives in the database (the server, the command line and the tests alike).
        services.AddDataProtection().SetApplicationName("AuditTool");
        services.AddSingleton<KeyRingInDatabase>();
        services.AddSingleton<Microsoft.Extensions.Options.IConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>>(
            sp => sp.GetRequiredService<KeyRingInDatabase>());
        services.AddSingleton<ISecretProtector, KeyRingSecrets>();
        services.AddSingleton(sp => SecondFactorSettings.Parse(sp.GetRequiredService<AuditToolOptions>().Mfa.RequiredRoles));
        services.AddSingleton(sp => new AccountSettings(sp.GetRequiredService<AuditToolOptions>().Accounts.DisableAfterDays));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => sp.GetRequiredService<AuditToolOptions>().Retention is var r
            ? new Domain.DataProtection.RetentionSettings(r.EvidenceMonths, r.CaseDataMonths, r.NoticeDays)
            : throw new InvalidOperationException());
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
