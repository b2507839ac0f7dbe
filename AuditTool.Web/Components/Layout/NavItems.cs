using AuditTool.Domain.Security;

namespace AuditTool.Web.Components.Layout;

public sealed record NavItem(string Text, string Icon, string Path);

/// <summary>The side navigation of each role. Showing a link is a convenience: pages and services check access themselves.</summary>
public static class NavItems
{
    public static IReadOnlyList<NavItem> For(Role? role) => role switch
    {
        Role.Administrator =>
        [
            new("Users", "group", "/admin/users"),
            new("Agencies", "apartment", "/admin/agencies"),
            new("Audit log", "history", "/admin/audit-log"),
            new("Outbox", "outgoing_mail", "/admin/outbox"),
        ],
        Role.Scrutineer =>
        [
            new("Audits", "fact_check", "/audits"),
            new("Concerns", "report", "/concerns"),
            new("Calibration", "balance", "/calibration"),
            new("Templates", "description", "/templates"),
            new("Reports", "insights", "/reports"),
            new("Trends", "trending_up", "/trends"),
            new("Audit log", "history", "/admin/audit-log"),
        ],
        Role.Manager =>
        [
            new("Reports", "insights", "/reports"),
            new("Trends", "trending_up", "/trends"),
            new("Actions", "task_alt", "/actions"),
            new("Concerns", "report", "/concerns"),
        ],
        Role.Auditor =>
        [
            new("Concerns", "report", "/concerns"),
            new("Calibration", "balance", "/calibration"),
        ],
        Role.Executive =>
        [
            new("Reports", "insights", "/reports"),
            new("Trends", "trending_up", "/trends"),
        ],
        _ => [],
    };
}
