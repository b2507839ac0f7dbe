using AuditTool.Domain.Accounts;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Home;

public sealed record AdminStart(int Users, int DisabledUsers, int Agencies);

public sealed record HomeView(
    Role Role,
    string DisplayName,
    string? AgencyName,
    IReadOnlyList<AuditSummary> Audits,
    IReadOnlyList<TemplateSummary> DraftTemplates,
    IReadOnlyList<ReturnSummary> Returns,
    AdminStart? Admin);

/// <summary>Each role's real starting point, read from the database.</summary>
public sealed class HomeService(
    AccessPolicy access,
    IAuditQueries audits,
    ITemplateRepository templates,
    IUserRepository users,
    IAgencyRepository agencies)
{
    public async Task<HomeView> GetAsync(Actor actor)
    {
        var user = await access.RequireAsync(actor, "home", Roles.All.ToArray())
            ?? throw new AccessDeniedException("Sign in first.");
        var agency = user.AgencyId is { } agencyId ? await agencies.GetByIdAsync(agencyId) : null;
        var view = new HomeView(user.Role, user.DisplayName, agency?.Name, [], [], [], null);
        switch (user.Role)
        {
            case Role.Scrutineer:
                var summaries = await templates.GetSummariesAsync();
                return view with
                {
                    Audits = await audits.GetSummariesAsync(),
                    DraftTemplates = summaries.Where(t => t.Versions.Any(v => v.Status == TemplateStatus.Draft)).ToList(),
                };
            case Role.Auditor:
                return view with { Returns = await audits.GetReturnsForAgencyAsync(user.AgencyId!.Value) };
            case Role.Manager:
                return view with
                {
                    Returns = await audits.GetReturnsForAgencyAsync(user.AgencyId!.Value),
                    Audits = await audits.GetPublishedAsync(),
                };
            case Role.Executive:
                return view with { Audits = await audits.GetPublishedAsync() };
            default:
                var all = await users.GetAllAsync();
                return view with
                {
                    Admin = new AdminStart(all.Count, all.Count(u => u.IsDisabled), (await agencies.GetAllAsync()).Count),
                };
        }
    }
}
