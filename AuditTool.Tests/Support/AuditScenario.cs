using AuditTool.Data;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;
using AuditTool.Tests.Domain;
using static AuditTool.Tests.Domain.TemplateBuilder;

namespace AuditTool.Tests.Support;

/// <summary>
/// A small open audit on a real database: two agencies (police, education), their auditors and a manager, a scrutineer,
/// an executive, and cases C-001..C-00n each with a return from both agencies.
/// </summary>
public sealed class AuditScenario : IDisposable
{
    public static readonly TemplateDefinition Template = new TemplateBuilder()
        .Section("child", null,
            Q("seen-alone"),
            Q("voice", showIf: new ShowIf("seen-alone", ["yes", "partly"])),
            new QuestionDefinition("days", "Days from concern to escalation", "", QuestionType.Number, null, [], false, 1, [], null),
            new QuestionDefinition("notes", "What difference did it make?", "", QuestionType.Text, null, [], false, 1, [], null),
            new QuestionDefinition("partners", "Which partners were consulted?", "", QuestionType.MultiChoice, null,
                [new ScaleOption("police", "Police", 1, Polarity.Positive), new ScaleOption("school", "School", 1, Polarity.Positive), new ScaleOption("none", "None", 0, Polarity.Negative)],
                false, 1, [], null))
        .Section("school", ["education"], Q("attendance"))
        .Section("overall-section", null, Q("overall", scale: "ofsted4"))
        .Build("scenario");

    /// <summary>
    /// The audit's deadline: a fixed date, so every run's data is the same. The calendar overtakes it, so the scenario
    /// confirms it as a scrutineer would confirm a deadline in the past (tests of that rule set their own clock).
    /// </summary>
    public static readonly DateOnly Deadline = new(2026, 12, 18);

    private AuditScenario(TestDatabase db) => Db = db;

    public TestDatabase Db { get; }

    public Actor Scrutineer { get; private set; } = null!;

    public Actor PoliceAuditor { get; private set; } = null!;

    public Actor EducationAuditor { get; private set; } = null!;

    public Actor PoliceManager { get; private set; } = null!;

    public Actor Executive { get; private set; } = null!;

    public Actor Administrator { get; private set; } = null!;

    public long PoliceId { get; private set; }

    public long EducationId { get; private set; }

    public long AuditId { get; private set; }

    public long TemplateVersionId { get; private set; }

    public AuditPlanningService Planning => Db.Get<AuditPlanningService>();

    public ReturnService Returns => Db.Get<ReturnService>();

    public static Task<AuditScenario> CreateAsync(int cases = 3, bool open = true) => CreateAsync(DatabaseEngine.Sqlite, cases, open);

    public static async Task<AuditScenario> CreateAsync(DatabaseEngine engine, int cases = 3, bool open = true)
    {
        var s = new AuditScenario(new TestDatabase(engine: engine));
        var agencies = s.Db.Get<IAgencyRepository>();
        s.PoliceId = await agencies.CreateAsync(Agency.Create("police", "Cleveland Police", AgencyKinds.Police));
        s.EducationId = await agencies.CreateAsync(Agency.Create("education", "Schools", AgencyKinds.Education));
        s.Scrutineer = await s.Db.CreateUserAsync("scrutineer", Role.Scrutineer);
        s.PoliceAuditor = await s.Db.CreateUserAsync("police.auditor", Role.Auditor, s.PoliceId);
        s.EducationAuditor = await s.Db.CreateUserAsync("education.auditor", Role.Auditor, s.EducationId);
        s.PoliceManager = await s.Db.CreateUserAsync("police.manager", Role.Manager, s.PoliceId);
        s.Executive = await s.Db.CreateUserAsync("executive", Role.Executive);
        s.Administrator = await s.Db.CreateUserAsync("admin", Role.Administrator);
        s.TemplateVersionId = await s.Db.Get<ITemplateRepository>().CreateVersionAsync(Template, TemplateStatus.Published, DateTimeOffset.UtcNow);
        s.AuditId = await s.Planning.CreateAsync(s.Scrutineer,
            new AuditPlan("Escalation audit", AuditKinds.MultiAgency, "Purpose", "All cases", Deadline, Thresholds.Default),
            s.TemplateVersionId, [s.PoliceId, s.EducationId], confirmPastDate: true);
        for (var i = 1; i <= cases; i++)
        {
            await s.Planning.AddCaseAsync(s.Scrutineer, s.AuditId, $"C-{i:000}");
        }

        if (open)
        {
            await s.Planning.OpenAsync(s.Scrutineer, s.AuditId, confirmPastDate: true);
        }

        return s;
    }

    public async Task<long> ReturnIdAsync(string caseRef, long agencyId) =>
        (await Db.Get<IAuditRepository>().GetReturnsAsync(AuditId)).Single(r => r.CaseRef == caseRef && r.AgencyId == agencyId).Id;

    public void Dispose() => Db.Dispose();
}
