using AuditTool.Data;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Notices;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;
using AuditTool.Tests.Domain;
using AuditTool.Tests.Support;
using AuditTool.Web.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Tests.Notices;

/// <summary>
/// An open audit with four agencies on a real database, a clock the test moves, and a real SMTP server on loopback.
/// Police, health and education have returns outstanding; social care has submitted all of its own. Accounts:
/// <list type="bullet">
/// <item>police.auditor (address) and police.auditor2 (no address);</item>
/// <item>health.auditor (address) and health.auditor2 (address, the named auditor of health's C-002 return: the only
/// one told of it; the other health returns name nobody, so both are told of them);</item>
/// <item>education.auditor (address) and education.auditor2 (address, disabled);</item>
/// <item>social-care.auditor (address, nothing outstanding); police.manager (address); health.manager (no address);</item>
/// <item>the scrutineer and the administrator (addresses, never told of returns).</item>
/// </list>
/// Every answer and evidence note saved is a distinctive phrase, so a test can look for it in every message.
/// </summary>
public sealed class NoticeScenario : IDisposable
{
    public const string PublicUrl = "https://audit.partnership.example.org";
    public static readonly DateOnly Deadline = new(2027, 3, 20);

    public static readonly TemplateDefinition Template = new TemplateBuilder()
        .Scale("kestrel", new ScaleOption("kestrel-affirmed", "Kestrel affirmed", 2, Polarity.Positive),
            new ScaleOption("kestrel-denied", "Kestrel denied", 0, Polarity.Negative))
        .Section("practice", null,
            TemplateBuilder.Q("seen", scale: "kestrel"),
            new QuestionDefinition("notes", "What difference did it make?", "", QuestionType.Text, null, [], false, 1, [], null),
            new QuestionDefinition("days", "Days to escalation", "", QuestionType.Number, null, [], false, 1, [], null))
        .Build("notices");

    private readonly TestDatabase _db;
    private ServiceProvider _services;

    private NoticeScenario(TestDatabase db, SmtpSink sink, TestClock clock, IDictionary<string, string?> settings)
    {
        _db = db;
        Sink = sink;
        Clock = clock;
        Settings = settings;
        _services = Build();
    }

    public SmtpSink Sink { get; }

    public TestClock Clock { get; }

    public IDictionary<string, string?> Settings { get; }

    public DatabaseEngine Engine => _db.Engine;

    public string Location => _db.Location;

    public Dictionary<string, Actor> Users { get; } = [];

    public Dictionary<string, long> Agencies { get; } = [];

    public long AuditId { get; private set; }

    public Actor Scrutineer => Users["scrutineer"];

    public NoticeService Notices => Get<NoticeService>();

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>The time <paramref name="daysBefore"/> days before the deadline (negative: after), at <paramref name="hour"/> UTC.</summary>
    public static DateTimeOffset DaysBeforeDeadline(int daysBefore, int hour = 9) =>
        new DateTimeOffset(Deadline.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero).AddDays(-daysBefore);

    /// <summary>Builds the scenario with the clock at <paramref name="openedAt"/>; the audit is opened then.</summary>
    public static async Task<NoticeScenario> CreateAsync(DatabaseEngine engine, DateTimeOffset openedAt, bool smtpRunning = true)
    {
        var sink = await SmtpSink.StartAsync(smtpRunning);
        var settings = new Dictionary<string, string?>(sink.Settings().ToDictionary(kv => kv.Key, kv => (string?)kv.Value))
        {
            ["AuditTool:PublicUrl"] = PublicUrl,
        };
        var s = new NoticeScenario(new TestDatabase(engine: engine), sink, new TestClock(openedAt.AddHours(-1)), settings);
        await s.SeedAsync();
        s.Clock.Set(openedAt);
        await s.Get<AuditPlanningService>().OpenAsync(s.Scrutineer, s.AuditId);
        await s.AnswerAsync();
        return s;
    }

    /// <summary>Another server process on the same database: new services, nothing shared in memory but the clock.</summary>
    public ServiceProvider NewServer(IDictionary<string, string?>? settings = null) => AuditToolServices.For(
        DatabaseTarget.Parse(_db.Location, _db.Folder),
        new ConfigurationBuilder().AddInMemoryCollection(settings ?? Settings).Build(),
        services => services.AddSingleton<TimeProvider>(Clock));

    /// <summary>The server stops and starts again on the same database.</summary>
    public void Restart()
    {
        _services.Dispose();
        _services = Build();
    }

    public async Task<long> ReturnIdAsync(string caseRef, string agency) =>
        (await Get<IAuditRepository>().GetReturnsAsync(AuditId)).Single(r => r.CaseRef == caseRef && r.AgencyId == Agencies[agency]).Id;

    public async Task<IReadOnlyList<OutboxMessage>> OutboxAsync() =>
        (await Get<IOutboxRepository>().SearchAsync(new OutboxQuery(null, null, null, 0, 500))).Messages.OrderBy(m => m.Id).ToList();

    private ServiceProvider Build() => NewServer();

    private async Task SeedAsync()
    {
        var agencies = Get<IAgencyRepository>();
        foreach (var (key, name, kind) in new[]
                 {
                     ("police", "Cleveland Police", AgencyKinds.Police), ("health", "Health services", AgencyKinds.Health),
                     ("education", "Schools", AgencyKinds.Education), ("social-care", "Children's social care", AgencyKinds.SocialCare),
                 })
        {
            Agencies[key] = await agencies.CreateAsync(Agency.Create(key, name, kind));
        }

        var admin = Get<UserAdminService>();
        foreach (var (name, role, agency, email) in new (string, Role, string?, string?)[]
                 {
                     ("scrutineer", Role.Scrutineer, null, "scrutineer@partnership.example.org"),
                     ("admin", Role.Administrator, null, "admin@partnership.example.org"),
                     ("police.auditor", Role.Auditor, "police", "police.auditor@police.example.org"),
                     ("police.auditor2", Role.Auditor, "police", null),
                     ("health.auditor", Role.Auditor, "health", "health.auditor@health.example.org"),
                     ("health.auditor2", Role.Auditor, "health", "health.auditor2@health.example.org"),
                     ("education.auditor", Role.Auditor, "education", "education.auditor@schools.example.org"),
                     ("education.auditor2", Role.Auditor, "education", "education.auditor2@schools.example.org"),
                     ("social-care.auditor", Role.Auditor, "social-care", "social-care.auditor@council.example.org"),
                     ("police.manager", Role.Manager, "police", "police.manager@police.example.org"),
                     ("health.manager", Role.Manager, "health", null),
                 })
        {
            var agencyId = agency is null ? (long?)null : Agencies[agency];
            var id = await admin.CreateAsync(Actor.System, new NewUser(name, name, role, agencyId, "correct-horse-battery", email));
            Users[name] = new Actor(id, name, role, agencyId);
        }

        await admin.SetDisabledAsync(Actor.System, Users["education.auditor2"].UserId, true);
        var version = await Get<ITemplateRepository>().CreateVersionAsync(Template, TemplateStatus.Published, Clock.GetUtcNow());
        var planning = Get<AuditPlanningService>();
        AuditId = await planning.CreateAsync(Scrutineer,
            new AuditPlan("Escalation follow-up audit", AuditKinds.MultiAgency, "Purpose", "All cases", Deadline, Thresholds.Default),
            version, Agencies.Values.ToList());
        foreach (var caseRef in new[] { "C-001", "C-002", "C-003" })
        {
            await planning.AddCaseAsync(Scrutineer, AuditId, caseRef);
        }

        await planning.SetAuditorAsync(Scrutineer, await ReturnIdAsync("C-002", "health"), Users["health.auditor2"].UserId);
    }

    /// <summary>Answers with distinctive values and notes; social care submits every return.</summary>
    private async Task AnswerAsync()
    {
        var returns = Get<ReturnService>();
        var n = 0;
        foreach (var (agency, auditor) in new[] { ("police", "police.auditor"), ("education", "education.auditor"), ("social-care", "social-care.auditor") })
        {
            foreach (var caseRef in new[] { "C-001", "C-002", "C-003" })
            {
                n++;
                var id = await ReturnIdAsync(caseRef, agency);
                var actor = Users[auditor];
                await returns.SaveAnswerAsync(actor, id, "seen", n % 2 == 0 ? "kestrel-denied" : "kestrel-affirmed");
                await returns.SaveAnswerAsync(actor, id, "notes", $"Heron at the quay, note {4400 + n}");
                await returns.SaveAnswerAsync(actor, id, "days", (71230 + n).ToString(System.Globalization.CultureInfo.InvariantCulture));
                await returns.SaveEvidenceAsync(actor, id, "seen", $"Osprey file entry {8800 + n}");
                if (agency == "social-care")
                {
                    Assert.True((await returns.SubmitAsync(actor, id)).Submitted);
                }
            }
        }
    }

    public void Dispose()
    {
        _services.Dispose();
        _db.Dispose();
        Sink.Dispose();
    }
}
