using System.Diagnostics;
using System.Runtime;
using AuditTool.Data;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Benchmarks.Measurements;

/// <summary>
/// The service-time measurements of issue 21, each a child process of its own, on the loaded audit, after the export
/// and aggregation runs (they change the audit): what a person's one action costs on the server, timed through the
/// services as the pages call them, repeated, the median reported.
/// <list type="bullet">
/// <item><c>findings-edit</c>: a scrutineer edits a finding's title on the findings page of the audit (in moderation):
/// the edit and the page's reload (figures, findings, quotes, actions), with the audit's figures already held, as they are
/// once the page is open.</item>
/// <item><c>answer-save</c>: an auditor's answer on one return of the audit (opened for it, then put back): the median
/// service time, and on PostgreSQL the round trips of each save counted on the wire (<see cref="WireCounter"/>).</item>
/// <item><c>figures-published</c>: the audit is published (once, by the first run: figures kept), then its figures are
/// read as the report reads them, by a figures service that has held nothing (a server just started, or another server).</item>
/// </list>
/// </summary>
public static class ServiceMeasurement
{
    public const string FindingsEdit = "findings-edit";
    public const string AnswerSave = "answer-save";
    public const string FiguresPublished = "figures-published";

    /// <summary>In the order they run: each leaves the audit as the next needs it (the last publishes it).</summary>
    public static IReadOnlyList<string> All { get; } = [FindingsEdit, AnswerSave, FiguresPublished];

    private const int WarmUps = 10;
    private const int Repeats = 40;

    public static async Task<Sample> RunAsync(string what, string database, long auditId)
    {
        WireCounter? counter = null;
        var through = database;
        if (database.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            (counter, through) = WireCounter.For(database);
        }

        using (counter)
        {
            using var services = BenchmarkServices.For(through);
            var (operation, done) = what switch
            {
                FindingsEdit => await FindingsEditAsync(services, auditId),
                AnswerSave => await AnswerSaveAsync(services, auditId),
                FiguresPublished => await FiguresPublishedAsync(services, auditId),
                _ => throw new ArgumentException($"Unknown service measurement \"{what}\" ({string.Join(", ", All)})."),
            };

            for (var i = 0; i < WarmUps; i++)
            {
                await operation();
                await Task.Delay(TimeSpan.FromMilliseconds(50));
            }

            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            using var process = Process.GetCurrentProcess();
            var baseline = process.WorkingSet64;
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var gen2Before = GC.CollectionCount(2);
            var cpuBefore = process.TotalProcessorTime;
            var times = new List<double>();
            var trips = new List<double>();
            for (var i = 0; i < Repeats; i++)
            {
                counter?.Reset();
                var stopwatch = Stopwatch.StartNew();
                await operation();
                times.Add(stopwatch.Elapsed.TotalMilliseconds);
                if (counter is not null)
                {
                    trips.Add(counter.RoundTrips);
                }
            }

            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            await done();
            return new Sample(what, Reporting.Units.Median(times), process.PeakWorkingSet64, baseline,
                (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / Repeats, GC.GetTotalAllocatedBytes(precise: true),
                GC.CollectionCount(2) - gen2Before, 0, Repeats, times[0], GCSettings.IsServerGC, cpu.TotalMilliseconds / Repeats,
                RoundTrips: trips.Count > 0 ? Reporting.Units.Median(trips) : null, MaxMs: times.Max());
        }
    }

    private static async Task<Actor> AccountAsync(IServiceProvider services, string name, Role role, long? agencyId)
    {
        var users = services.GetRequiredService<IUserRepository>();
        var userName = $"bench-{name}-{Environment.ProcessId}";
        var id = await services.GetRequiredService<UserAdminService>().CreateAsync(Actor.System,
            new NewUser(userName, userName, role, agencyId, "benchmark-password-" + Guid.NewGuid().ToString("N")));
        var user = await users.GetByIdAsync(id) ?? throw new InvalidOperationException("The benchmark's account is missing.");
        return new Actor(user.Id, user.UserName, user.Role, user.AgencyId);
    }

    private static async Task<(Func<Task> Run, Func<Task> Done)> FindingsEditAsync(IServiceProvider services, long auditId)
    {
        var scrutineer = await AccountAsync(services, "scrutineer", Role.Scrutineer, null);
        var findings = services.GetRequiredService<FindingsService>();
        var figures = services.GetRequiredService<FiguresService>();
        var findingId = await findings.AddFindingAsync(scrutineer, auditId,
            new FindingInput(FindingKinds.Strength, "Benchmark finding", "A finding the benchmark edits.", [], []));
        // The page is open: its figures were read when it opened.
        await figures.GetAsync(scrutineer, auditId);
        var edits = 0;
        return (async () =>
        {
            edits++;
            await findings.UpdateFindingAsync(scrutineer, auditId, findingId,
                new FindingInput(FindingKinds.Strength, $"Benchmark finding, edit {edits}", "A finding the benchmark edits.", [], []));
            // As the findings page reloads after an edit.
            await figures.GetAsync(scrutineer, auditId);
            await findings.GetFindingsAsync(scrutineer, auditId);
            await findings.GetQuotesAsync(scrutineer, auditId);
            await findings.GetActionsAsync(scrutineer, auditId);
        }, () => findings.DeleteFindingAsync(scrutineer, auditId, findingId));
    }

    private static async Task<(Func<Task> Run, Func<Task> Done)> AnswerSaveAsync(IServiceProvider services, long auditId)
    {
        var audits = services.GetRequiredService<IAuditRepository>();
        var audit = await audits.GetByIdAsync(auditId) ?? throw new InvalidOperationException("The audit is missing.");
        var template = await services.GetRequiredService<ITemplateRepository>().GetVersionAsync(audit.TemplateVersionId)
            ?? throw new InvalidOperationException("The audit's template is missing.");
        var returns = await audits.GetReturnsAsync(auditId);
        var ret = returns[returns.Count / 2];
        var question = template.Sections.SelectMany(s => s.Questions)
            .First(q => q.Type is QuestionType.Scale or QuestionType.Choice && q.ShowIf is null && q.Options.Count >= 2);
        var auditor = await AccountAsync(services, "auditor", Role.Auditor, ret.AgencyId);
        // Open for the measurement, as an audit is while its returns come in; put back as it was when the child ends.
        var factory = services.GetRequiredService<ConnectionFactory>();
        using (var connection = await factory.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE audits SET status = @status WHERE id = @auditId", new { status = AuditStatuses.Open, auditId });
            await connection.ExecuteAsync("UPDATE agency_returns SET status = @status WHERE id = @id", new { status = ReturnStatuses.InProgress, id = ret.Id });
        }

        var service = services.GetRequiredService<ReturnService>();
        var saves = 0;
        return (async () =>
        {
            saves++;
            await service.SaveAnswerAsync(auditor, ret.Id, question.Key, question.Options[saves % 2].Value);
        }, async () =>
        {
            using var connection = await factory.OpenAsync();
            await connection.ExecuteAsync("UPDATE audits SET status = @status WHERE id = @auditId", new { status = audit.Status, auditId });
            await connection.ExecuteAsync("UPDATE agency_returns SET status = @status WHERE id = @id", new { status = ret.Status, id = ret.Id });
        });
    }

    private static async Task<(Func<Task> Run, Func<Task> Done)> FiguresPublishedAsync(IServiceProvider services, long auditId)
    {
        var audits = services.GetRequiredService<IAuditRepository>();
        var scrutineer = await AccountAsync(services, "publisher", Role.Scrutineer, null);
        if ((await audits.GetByIdAsync(auditId))?.Status == AuditStatuses.Moderation)
        {
            var findings = services.GetRequiredService<FindingsService>();
            await findings.AddFindingAsync(scrutineer, auditId,
                new FindingInput(FindingKinds.Strength, "Published finding", "Executives read the findings.", [], []));
            await findings.PublishAsync(scrutineer, auditId);
        }

        var executive = await AccountAsync(services, "executive", Role.Executive, null);
        return (async () =>
        {
            // A figures service that holds nothing: what a server just started, or another server, reads.
            var fresh = ActivatorUtilities.CreateInstance<FiguresService>(services);
            var view = await fresh.GetAsync(executive, auditId);
            if (view.Figures.Returns == 0)
            {
                throw new InvalidOperationException("The published audit's figures count no returns.");
            }
        }, () => Task.CompletedTask);
    }
}
