using System.Globalization;
using System.Text;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Packages;
using AuditTool.Domain.Sampling;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;

namespace AuditTool.Web.Hosting;

/// <summary>
/// The demo's audits, made through the same services as real work, as a partnership's history over three years, dated
/// from the day the demo is seeded: a deep dive into children disengaged from education (published about two and a half
/// years ago: all returns in, moderated, findings and actions, some since done, some overdue); its six-month follow-up
/// on the same template, compared with it as its baseline (published two years ago, where some development areas have
/// improved); and this year's annual multi-agency audit of step-down to Early Help, open, with a few returns under way.
/// Answers are generated from fixed seeds: every demo looks the same but for its dates.
/// </summary>
public sealed class DemoAudits(
    ITemplateRepository templates,
    IAgencyRepository agencies,
    IUserRepository users,
    AuditPackageService packages,
    AuditPlanningService planning,
    ReturnService returns,
    Domain.DataProtection.RetentionService retention,
    TimeProvider clock)
{
    public const string DeepDiveTitle = "Children disengaged from education: post-review deep dive";
    public const string FollowUpTitle = "Children disengaged from education: six-month follow-up";
    public const string AnnualTitle = "Step-down to Early Help: annual multi-agency audit";

    private static readonly string[] Evidence =
    [
        "Recorded in the strategy discussion notes.",
        "Seen alone at school; views recorded in the child's own words.",
        "No record of the father being contacted or included.",
        "Discussed at the team around the family meeting; actions agreed.",
        "Chronology shows repeated referrals that were not linked together.",
        "Direct work sheet on file; the child's worries about home are clear.",
        "Attendance reviewed monthly with the school's designated safeguarding lead.",
        "Decision recorded by the manager with a clear rationale.",
    ];

    /// <summary>
    /// The questions the demo's curated findings cite, and which way: the generated answers lean that way, so a strength
    /// cites questions the figures call strengths and a development area questions at or under the development threshold.
    /// </summary>
    public static readonly IReadOnlySet<string> StrengthQuestions = new HashSet<string> { "child-seen-alone", "voice-about-school" };

    public static readonly IReadOnlySet<string> DevelopmentQuestions = new HashSet<string>
    {
        "behaviour-as-communication", "send-and-safeguarding", "exploitation-risk-recognised", "escalation-procedure-used", "disagreement-recognised",
    };

    /// <summary>The development areas of the deep dive that its follow-up finds improved (a strength there).</summary>
    public static readonly IReadOnlySet<string> ImprovedQuestions = new HashSet<string> { "escalation-procedure-used", "disagreement-recognised" };

    private static readonly string[] Differences =
    [
        "The child now has a named trusted adult in school and attendance has begun to improve.",
        "Little has changed for the child: the plan has not yet been reviewed.",
        "The family engaged with Early Help and the bottom line was understood.",
        "Escalation led to a re-assessment and the child's needs were recognised.",
    ];

    /// <summary>The demo's calendar, counted from the day it is seeded, so its history never runs into the future.</summary>
    public sealed record History(DateOnly Today)
    {
        /// <summary>The deep dive's deadline: the end of the month thirty months ago.</summary>
        public DateOnly DeepDiveDeadline { get; } = EndOfMonth(Today.AddMonths(-30));

        /// <summary>The follow-up's deadline: six months after the deep dive's.</summary>
        public DateOnly FollowUpDeadline => EndOfMonth(DeepDiveDeadline.AddMonths(6));

        public DateOnly AnnualDeadline => Today.AddDays(28);

        /// <summary>Reports are published three weeks after returns close, at ten in the morning.</summary>
        public static DateTimeOffset PublishedAfter(DateOnly deadline) => new(deadline.AddDays(21).ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);

        private static DateOnly EndOfMonth(DateOnly day) => new DateOnly(day.Year, day.Month, 1).AddMonths(1).AddDays(-1);
    }

    private sealed record PastAudit(
        string Title,
        string Kind,
        string Purpose,
        string SampleCriteria,
        string? BaselineTitle,
        DateOnly Deadline,
        string CasePrefix,
        int Seed,
        Func<string, double, double> Lean,
        IReadOnlyList<PackageFinding> Findings,
        IReadOnlyList<PackageAction> Actions);

    public async Task SeedAsync()
    {
        var byKey = (await agencies.GetAllAsync()).ToDictionary(a => a.Key);
        var summaries = await templates.GetSummariesAsync();
        var educationVersion = summaries.FirstOrDefault(t => t.Key == "education-disengagement")?.LatestPublished;
        var stepDown = summaries.FirstOrDefault(t => t.Key == "step-down")?.LatestPublished;
        if (educationVersion is null || stepDown is null)
        {
            return;
        }

        var template = (await templates.GetVersionAsync(educationVersion.Id))!;
        var participating = new[] { "hartlepool-csc", "stockton-csc", "police", "health", "education", "early-help" }
            .Where(byKey.ContainsKey).Select(k => byKey[k]).ToList();
        var history = new History(PastDates.Today(clock));

        // The ids the rest of the demo (and its tests) know: 1 the deep dive, 2 the open annual audit, 3 the follow-up.
        var deepDive = await ImportAsync(DeepDive(history), template, participating);
        await SeedAnnualAsync(stepDown.Id, participating, history);
        var followUp = await ImportAsync(FollowUp(history), template, participating);

        // Both came out of a child safeguarding practice review, so the partnership keeps them longer than its defaults
        // (the daily retention pass would otherwise destroy the notes of audits published this long ago).
        if (await ActorAsync("scrutineer") is { } scrutineer)
        {
            foreach (var id in new[] { deepDive, followUp })
            {
                await retention.SetPolicyAsync(scrutineer, id, KeptMonths.Notes, KeptMonths.Answers);
            }
        }
    }

    /// <summary>How long the demo's past audits are kept: longer than the thirty months of history, so nothing is due.</summary>
    public static readonly (int Notes, int Answers) KeptMonths = (48, 72);

    private static PastAudit DeepDive(History h) => new(
        DeepDiveTitle, AuditKinds.DeepDive,
        "Assurance that robust multi-agency plans are in place for children disengaged from education who receive SEND support, following a local child safeguarding practice review.",
        "Attendance at or below 70% and/or 5 or more days' suspension, and SEND support",
        null, h.DeepDiveDeadline, "DD", 20240607,
        (key, agency) => StrengthQuestions.Contains(key) ? Math.Max(agency, 0.95)
            : DevelopmentQuestions.Contains(key) ? Math.Min(agency * 0.6, 0.4)
            : agency,
        [
            new PackageFinding("strength", "Children were seen and spoken to alone",
                "Most agencies evidenced direct work with the child and recorded their views in their own words.", ["child-seen-alone", "voice-about-school"], ["voice-of-child"]),
            new PackageFinding("development", "Behaviour seen as the problem, not as communication of trauma",
                "Too often the focus was on SEND and behaviour management rather than on what the behaviour was telling practitioners about the child's safety.",
                ["behaviour-as-communication", "send-and-safeguarding"], ["trauma-informed"]),
            new PackageFinding("development", "Exploitation risk not consistently recognised",
                "Indicators of criminal exploitation were present in several cases but were not brought together or escalated.", ["exploitation-risk-recognised"], ["exploitation"]),
            new PackageFinding("development", "Escalation procedure not used in live time",
                "Partners who disagreed with step-down or closure re-referred rather than using the professional escalation procedure.",
                ["escalation-procedure-used", "disagreement-recognised"], ["escalation"]),
        ],
        [
            // Done within the six months, before the follow-up looked again.
            new PackageAction("Deliver briefings on behaviour as communication of trauma to school designated safeguarding leads", "education", h.DeepDiveDeadline.AddMonths(4), ActionStatuses.Done, 1),
            new PackageAction("Relaunch the professional escalation procedure with a one-page guide and audit its use", "hartlepool-csc", h.DeepDiveDeadline.AddMonths(5), ActionStatuses.Done, 3),
            // Still under way long after it was due: overdue.
            new PackageAction("Add exploitation screening to the attendance panel's referral form", "police", h.Today.AddMonths(-3), ActionStatuses.InProgress, 2),
            new PackageAction("Record a step-down plan with a contingency and bottom line for every case closed to Early Help", "stockton-csc", h.Today.AddMonths(3), ActionStatuses.Open, 3),
        ]);

    private static PastAudit FollowUp(History h) => new(
        FollowUpTitle, AuditKinds.FollowUp,
        "Six months after the deep dive: has practice changed for children disengaged from education, and is the escalation procedure now used when partners disagree?",
        "The same criteria as the deep dive, for children referred since it reported",
        DeepDiveTitle, h.FollowUpDeadline, "FU", 20250107,
        (key, agency) => StrengthQuestions.Contains(key) || ImprovedQuestions.Contains(key) ? Math.Max(agency, 0.95)
            : DevelopmentQuestions.Contains(key) ? Math.Min(agency * 0.6, 0.4)
            : Math.Min(agency + 0.1, 0.9),
        [
            new PackageFinding("strength", "Children are still seen and heard alone",
                "Direct work with the child remained strong in every agency, and the child's own words shaped the plan.", ["child-seen-alone", "voice-about-school"], ["voice-of-child"]),
            new PackageFinding("strength", "The escalation procedure is now used when partners disagree",
                "Since the relaunch, partners who disagreed with step-down or closure escalated in live time instead of re-referring.",
                ["escalation-procedure-used", "disagreement-recognised"], ["escalation"]),
            new PackageFinding("development", "Behaviour is still read as the problem",
                "The briefings reached schools, but records still describe behaviour to be managed rather than what it says about the child's safety.",
                ["behaviour-as-communication", "send-and-safeguarding"], ["trauma-informed"]),
            new PackageFinding("development", "Exploitation indicators are still not brought together",
                "The attendance panel's screening is not yet in use, and missing episodes and exclusions were again seen apart.", ["exploitation-risk-recognised"], ["exploitation"]),
        ],
        [
            new PackageAction("Share the follow-up's learning with the designated safeguarding leads' network", "education", h.FollowUpDeadline.AddMonths(3), ActionStatuses.Done, 2),
            new PackageAction("Bring missing-episode and exclusion data to the attendance panel for every child it discusses", "hartlepool-csc", h.Today.AddMonths(-1), ActionStatuses.Open, 3),
            new PackageAction("Look again at trauma-informed recording in the annual multi-agency audit", "hartlepool-csc", h.AnnualDeadline.AddMonths(2), ActionStatuses.InProgress, 2),
        ]);

    private async Task<long> ImportAsync(PastAudit audit, TemplateDefinition template, IReadOnlyList<Agency> participating)
    {
        await using var json = new MemoryStream(Package(audit, template, participating));
        return await packages.ImportAsync(Actor.System, json, "demo", History.PublishedAfter(audit.Deadline));
    }

    /// <summary>A past audit as a typed package (the one package writer serialises it), its answers drawn from its seed.</summary>
    private static byte[] Package(PastAudit audit, TemplateDefinition template, IReadOnlyList<Agency> participating)
    {
        var random = new Random(audit.Seed);
        var quality = new Dictionary<string, double>
        {
            ["hartlepool-csc"] = 0.72, ["stockton-csc"] = 0.66, ["police"] = 0.58, ["health"] = 0.7, ["education"] = 0.45, ["early-help"] = 0.62,
        };
        var cases = Enumerable.Range(0, 10).Select(i => new PackageCase($"{audit.CasePrefix}-{i + 1:000}", new Dictionary<string, string>
        {
            ["locality"] = i % 2 == 0 ? "Hartlepool" : "Stockton-on-Tees",
            ["age"] = (11 + i % 5).ToString(CultureInfo.InvariantCulture),
            ["attendance"] = (48 + (i * 7) % 23).ToString(CultureInfo.InvariantCulture),
            ["send"] = i % 3 == 0 ? "EHCP" : "SEN support",
        })).ToList();
        var returns = new List<PackageReturn>();
        var overallByCase = new Dictionary<string, List<string>>();
        foreach (var c in cases)
        {
            foreach (var agency in participating)
            {
                var answers = Answer(template, agency.Kind, quality.GetValueOrDefault(agency.Key, 0.6), audit.Lean, audit.Deadline, random);
                overallByCase.TryAdd(c.Ref, []);
                if (answers.GetValueOrDefault("overall") is string overall)
                {
                    overallByCase[c.Ref].Add(overall);
                }

                var evidence = answers.Keys.Where(_ => random.NextDouble() < 0.25).Take(3).ToDictionary(k => k, _ => Evidence[random.Next(Evidence.Length)]);
                returns.Add(new PackageReturn(c.Ref, agency.Key, ReturnStatuses.Submitted, answers, evidence, null));
            }
        }

        var moderation = cases.Take(6).Select(c =>
        {
            var grades = overallByCase[c.Ref];
            var good = grades.Count(g => g is "good" or "outstanding") * 2 >= grades.Count;
            return new PackageModeration(c.Ref, "overall", good ? "good" : "requires-improvement", good
                ? "Evidence across agencies shows the child's needs were understood and a multi-agency plan was in place."
                : "Behaviour was seen as the problem rather than as communication of trauma; the plan did not address safeguarding need.");
        }).ToList();
        var package = new AuditPackage(
            new PackageAudit(audit.Title, audit.Kind, audit.Purpose, audit.SampleCriteria, new Thresholds(0.8, 0.6, 5), audit.BaselineTitle,
                AuditStatuses.Published, audit.Deadline, null, null, null, null) { PublishedUtc = History.PublishedAfter(audit.Deadline) },
            template,
            participating.Select(a => new PackageAgency(a.Key, a.Name, a.Kind)).ToList(),
            cases,
            returns,
            moderation,
            audit.Findings,
            audit.Actions);
        return AuditPackageWriter.Write(package);
    }

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task SeedAnnualAsync(long templateVersionId, IReadOnlyList<Agency> participating, History history)
    {
        var scrutineer = await ActorAsync("scrutineer");
        if (scrutineer is null)
        {
            return;
        }

        // This year's audit is open with returns under way, so its deadline is ahead of the day the demo is seeded. It
        // asks from another template than the deep dive, so it has no baseline.
        var auditId = await planning.CreateAsync(scrutineer, new AuditPlan(AnnualTitle, AuditKinds.MultiAgency,
            "This year's multi-agency audit: are step-down plans recorded, are partners consulted before step-down or closure, and is the escalation procedure used?",
            "Children stepped down from children's social care to Early Help in the last twelve months", history.AnnualDeadline,
            Thresholds.Default, null), templateVersionId, participating.Select(a => a.Id).ToList());
        var cohort = new StringBuilder("Case ref,Locality,Age,Plan type,Stepped down,Previous step-downs\n");
        var random = new Random(2026);
        for (var i = 1; i <= 40; i++)
        {
            cohort.Append(CultureInfo.InvariantCulture, $"SD-{i:000},{(i % 2 == 0 ? "Hartlepool" : "Stockton-on-Tees")},{4 + random.Next(13)},")
                .Append(i % 4 == 0 ? "Child in need" : "Early Help").Append(',').Append(i % 5 == 0 ? "No" : "Yes").Append(',')
                .Append(random.Next(4).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        await planning.SaveCohortAsync(scrutineer, auditId, cohort.ToString(), "Case ref", "demo-step-down-cohort.csv");
        await planning.DrawSampleAsync(scrutineer, auditId,
            new SampleCriteria([new CriteriaGroup([new Criterion("Stepped down", CriterionOperator.Equals, ["Yes"])])]), 8, 20261101);
        await planning.OpenAsync(scrutineer, auditId);

        // A few returns under way, so the progress grid and the start pages have something to show.
        var template = (await templates.GetVersionAsync(templateVersionId))!;
        var progress = await planning.GetProgressAsync(scrutineer, auditId);
        var auditors = new Dictionary<string, string> { ["police"] = "police.auditor", ["health"] = "health.auditor", ["early-help"] = "early-help.auditor" };
        foreach (var row in progress.Rows.Take(3))
        {
            foreach (var agency in participating.Where(a => auditors.ContainsKey(a.Key)))
            {
                if (!row.ByAgency.TryGetValue(agency.Id, out var cell) || await ActorAsync(auditors[agency.Key]) is not { } auditor)
                {
                    continue;
                }

                var answers = Answer(template, agency.Kind, 0.7, (_, q) => q, history.AnnualDeadline, random);
                foreach (var (key, value) in answers.Take(row.Case.Ref.EndsWith('1') ? answers.Count : 6))
                {
                    await returns.SaveAnswerAsync(auditor, cell.ReturnId, key, value);
                }
            }
        }
    }

    /// <summary>A plausible return: every question shown to the agency answered in template order, conditions honoured.</summary>
    private static Dictionary<string, object?> Answer(
        TemplateDefinition template, string agencyKind, double quality, Func<string, double, double> lean, DateOnly deadline, Random random)
    {
        var answers = new Dictionary<string, object?>();
        foreach (var question in template.Questions)
        {
            if (!Visibility.IsShown(template, question, agencyKind, answers))
            {
                continue;
            }

            var options = template.OptionsOf(question).Where(o => o.Value != BuiltInScales.NotApplicable).ToList();
            object? value = question.Type switch
            {
                QuestionType.Scale or QuestionType.Choice => Pick(options, lean(question.Key, quality), random),
                QuestionType.MultiChoice => options.Where(_ => random.NextDouble() < 0.4).Select(o => o.Value).DefaultIfEmpty(options[0].Value).ToList(),
                QuestionType.Number => question.Key.Contains("attendance") ? (45 + random.Next(26)).ToString(CultureInfo.InvariantCulture)
                    : random.Next(12).ToString(CultureInfo.InvariantCulture),
                QuestionType.Date => Iso(deadline.AddDays(-30 - random.Next(180))),
                _ => question.Required || random.NextDouble() < 0.6 ? Differences[random.Next(Differences.Length)] : null,
            };
            if (value is not null)
            {
                answers[question.Key] = value;
            }
        }

        return answers;
    }

    private static string Pick(IReadOnlyList<ScaleOption> options, double quality, Random random)
    {
        var positive = options.Where(o => o.Polarity == Polarity.Positive).ToList();
        var other = options.Where(o => o.Polarity != Polarity.Positive).ToList();
        var pool = positive.Count > 0 && (other.Count == 0 || random.NextDouble() < quality) ? positive : other.Count > 0 ? other : options.ToList();
        return pool[random.Next(pool.Count)].Value;
    }

    private async Task<Actor?> ActorAsync(string userName) =>
        await users.GetByUserNameAsync(userName) is { } u ? new Actor(u.Id, u.UserName, u.Role, u.AgencyId) : null;
}
