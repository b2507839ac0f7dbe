using AuditTool.Data;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;

namespace AuditTool.Web.Hosting;

/// <summary>
/// Start-up work: migrations always; the shipped templates when the database has none; demo agencies, accounts and
/// audits when demo mode is on and the database holds no account, agency or audit (it then says so in the log and
/// leaves the data alone). Outside demo mode no agency or account is seeded.
/// </summary>
public sealed class FirstRun(
    MigrationRunner migrations,
    ITemplateRepository templates,
    TemplateLibraryService library,
    IUserRepository users,
    IAgencyRepository agencyRecords,
    Domain.Audits.IAuditRepository audits,
    AgencyService agencies,
    UserAdminService userAdmin,
    DemoAudits demoAudits,
    ConnectionFactory database,
    AuditToolOptions options,
    Domain.Notices.IMailSender mail)
{
    /// <summary>
    /// Demo accounts get an address only when an SMTP host is set (a local sink for trying the reminders): in a
    /// reserved domain that no real mail system delivers to.
    /// </summary>
    public const string DemoMailDomain = "demo.audittool.invalid";

    public const string DemoPassword = "audit-demo-2026";

    public static IReadOnlyList<(string Key, string Name, string Kind)> DemoAgencies { get; } =
    [
        ("hartlepool-csc", "Hartlepool Borough Council Children's Services", AgencyKinds.SocialCare),
        ("stockton-csc", "Stockton-on-Tees Borough Council Children's Services", AgencyKinds.SocialCare),
        ("police", "Cleveland Police", AgencyKinds.Police),
        ("health", "North East and North Cumbria Integrated Care Board", AgencyKinds.Health),
        ("education", "Schools and Education Services", AgencyKinds.Education),
        ("early-help", "Early Help Services", AgencyKinds.EarlyHelp),
        ("youth-justice", "Youth Justice Service", AgencyKinds.YouthJustice),
    ];

    public static IReadOnlyList<(string UserName, string DisplayName, Role Role, string? AgencyKey)> DemoAccounts { get; } =
    [
        ("admin", "Demo administrator", Role.Administrator, null),
        ("scrutineer", "Demo independent scrutineer", Role.Scrutineer, null),
        ("manager", "Demo agency manager (Hartlepool children's services)", Role.Manager, "hartlepool-csc"),
        ("executive", "Demo executive member", Role.Executive, null),
        ("police.auditor", "Demo auditor, Cleveland Police", Role.Auditor, "police"),
        ("health.auditor", "Demo auditor, health", Role.Auditor, "health"),
        ("social-care.auditor", "Demo auditor, Hartlepool children's services", Role.Auditor, "hartlepool-csc"),
        ("stockton-social-care.auditor", "Demo auditor, Stockton children's services", Role.Auditor, "stockton-csc"),
        ("education.auditor", "Demo auditor, education", Role.Auditor, "education"),
        ("early-help.auditor", "Demo auditor, early help", Role.Auditor, "early-help"),
        ("youth-justice.auditor", "Demo auditor, youth justice", Role.Auditor, "youth-justice"),
    ];

    public async Task RunAsync(ILogger logger)
    {
        var applied = migrations.Migrate();
        if (applied.Count > 0)
        {
            logger.LogInformation("Applied migrations: {Migrations}", string.Join(", ", applied));
        }

        // Several servers starting together on one database: one does this while the others wait, then find it done.
        using var once = StartupLock.Take(database, StartupLock.FirstRunKey);
        if ((await templates.GetSummariesAsync()).Count == 0)
        {
            await LoadShippedTemplatesAsync(logger);
        }

        if (!options.Demo)
        {
            return;
        }

        // Demo data goes only into an empty database: anything already there (an imported audit, agencies, accounts)
        // is the partnership's own, and the demo would collide with it.
        if (await WhatTheDatabaseHoldsAsync() is { } held)
        {
            logger.LogWarning("Demo mode: no demo data was created, because the database already holds {Held}.", held);
            return;
        }

        await SeedDemoAsync();
        await demoAudits.SeedAsync();
        logger.LogWarning("Demo mode: demo agencies and accounts were created (password {Password}).", DemoPassword);
    }

    /// <summary>What the database holds besides the shipped templates, in words; null when it is empty.</summary>
    private async Task<string?> WhatTheDatabaseHoldsAsync()
    {
        var counts = new[]
        {
            (Count: await users.CountAsync(), What: "account"),
            (Count: (await agencyRecords.GetAllAsync()).Count, What: "agency"),
            (Count: (await audits.GetManyAsync()).Count, What: "audit"),
        }.Where(c => c.Count > 0).Select(c => $"{c.Count} {(c.Count == 1 ? c.What : c.What == "agency" ? "agencies" : c.What + "s")}").ToList();
        return counts.Count == 0 ? null : string.Join(", ", counts);
    }

    private async Task LoadShippedTemplatesAsync(ILogger logger)
    {
        var folder = options.TemplatesFolder ?? Path.Combine(AppContext.BaseDirectory, "templates");
        if (!Directory.Exists(folder))
        {
            logger.LogWarning("No shipped templates folder at {Folder}.", folder);
            return;
        }

        foreach (var file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                var result = await library.ImportAsync(Actor.System, await File.ReadAllTextAsync(file));
                logger.LogInformation("Loaded template {Key} v{Version} from {File}.", result.Key, result.Version, Path.GetFileName(file));
            }
            catch (TemplateFormatException ex)
            {
                logger.LogError("The shipped template {File} was not loaded: {Problems}", Path.GetFileName(file), ex.Message);
            }
        }
    }

    private async Task SeedDemoAsync()
    {
        var ids = new Dictionary<string, long>();
        foreach (var (key, name, kind) in DemoAgencies)
        {
            ids[key] = await agencies.CreateAsync(Actor.System, key, name, kind);
        }

        foreach (var (userName, displayName, role, agencyKey) in DemoAccounts)
        {
            await userAdmin.CreateAsync(Actor.System,
                new NewUser(userName, displayName, role, agencyKey is null ? null : ids[agencyKey], DemoPassword,
                    mail.IsConfigured ? $"{userName}@{DemoMailDomain}" : null));
        }
    }
}

/// <summary>
/// Runs <see cref="FirstRun"/> as the host starts, before the server takes its first request, however the host is
/// started (the executable, a test host).
/// </summary>
public sealed class FirstRunOnStart(FirstRun firstRun, ILogger<FirstRun> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => firstRun.RunAsync(logger);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
