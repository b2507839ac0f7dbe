using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Packages;
using AuditTool.Domain.Sampling;
using AuditTool.Domain.Security;
using AuditTool.Domain.Templates;

namespace AuditTool.Web.Hosting;

/// <summary>
/// The demo's audits, made through the same services as real work: a published deep dive into children disengaged
/// from education (all returns in, moderated, findings and actions), and its six-month follow-up on step-down to
/// Early Help, open, with a few returns under way. Answers are generated from a fixed seed: every demo looks the same.
/// </summary>
public sealed class DemoAudits(
    ITemplateRepository templates,
    IAgencyRepository agencies,
    IUserRepository users,
    AuditPackageService packages,
    AuditPlanningService planning,
    ReturnService returns,
    TimeProvider clock)
{
    public const string DeepDiveTitle = "Children disengaged from education: post-review deep dive";
    public const string FollowUpTitle = "Step-down to Early Help: six-month follow-up audit";

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

    private static readonly string[] Differences =
    [
        "The child now has a named trusted adult in school and attendance has begun to improve.",
        "Little has changed for the child: the plan has not yet been reviewed.",
        "The family engaged with Early Help and the bottom line was understood.",
        "Escalation led to a re-assessment and the child's needs were recognised.",
    ];

    public async Task SeedAsync()
    {
        var byKey = (await agencies.GetAllAsync()).ToDictionary(a => a.Key);
        var summaries = await templates.GetSummariesAsync();
        var deepDive = summaries.FirstOrDefault(t => t.Key == "education-disengagement")?.LatestPublished;
        var stepDown = summaries.FirstOrDefault(t => t.Key == "step-down")?.LatestPublished;
        if (deepDive is null || stepDown is null)
        {
            return;
        }

        var template = (await templates.GetVersionAsync(deepDive.Id))!;
        var participating = new[] { "hartlepool-csc", "stockton-csc", "police", "health", "education", "early-help" }
            .Where(byKey.ContainsKey).Select(k => byKey[k]).ToList();
        await using (var json = new MemoryStream(DeepDivePackage(template, participating)))
        {
            await packages.ImportAsync(Actor.System, json, "demo");
        }

        await SeedFollowUpAsync(stepDown.Id, participating);
    }

    private static byte[] DeepDivePackage(TemplateDefinition template, IReadOnlyList<Agency> participating)
    {
        var random = new Random(20240607);
        var quality = new Dictionary<string, double>
        {
            ["hartlepool-csc"] = 0.72, ["stockton-csc"] = 0.66, ["police"] = 0.58, ["health"] = 0.7, ["education"] = 0.45, ["early-help"] = 0.62,
        };
        var cases = Enumerable.Range(1, 10).Select(i => $"DD-{i:000}").ToList();
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("format", AuditPackage.Format);
            w.WriteStartObject("audit");
            w.WriteString("title", DeepDiveTitle);
            w.WriteString("kind", AuditKinds.DeepDive);
            w.WriteString("purpose", "Assurance that robust multi-agency plans are in place for children disengaged from education who receive SEND support, following a local child safeguarding practice review.");
            w.WriteString("sampleCriteria", "Attendance at or below 70% and/or 5 or more days' suspension, and SEND support");
            w.WriteStartObject("thresholds");
            w.WriteNumber("strength", 0.8);
            w.WriteNumber("development", 0.6);
            w.WriteNumber("minimumCount", 5);
            w.WriteEndObject();
            w.WriteNull("baselineTitle");
            w.WriteString("status", AuditStatuses.Published);
            w.WriteString("deadline", "2025-06-30");
            w.WriteEndObject();
            w.WritePropertyName("template");
            TemplateJson.Write(w, template);
            w.WriteStartArray("agencies");
            foreach (var a in participating)
            {
                w.WriteStartObject();
                w.WriteString("key", a.Key);
                w.WriteString("name", a.Name);
                w.WriteString("kind", a.Kind);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("cases");
            foreach (var (c, i) in cases.Select((c, i) => (c, i)))
            {
                w.WriteStartObject();
                w.WriteString("ref", c);
                w.WriteStartObject("attributes");
                w.WriteString("locality", i % 2 == 0 ? "Hartlepool" : "Stockton-on-Tees");
                w.WriteString("age", (11 + i % 5).ToString(CultureInfo.InvariantCulture));
                w.WriteString("attendance", (48 + (i * 7) % 23).ToString(CultureInfo.InvariantCulture));
                w.WriteString("send", i % 3 == 0 ? "EHCP" : "SEN support");
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("returns");
            var overallByCase = new Dictionary<string, List<string>>();
            foreach (var c in cases)
            {
                foreach (var agency in participating)
                {
                    var answers = Answer(template, agency.Kind, quality.GetValueOrDefault(agency.Key, 0.6), random);
                    overallByCase.TryAdd(c, []);
                    if (answers.GetValueOrDefault("overall") is string overall)
                    {
                        overallByCase[c].Add(overall);
                    }

                    w.WriteStartObject();
                    w.WriteString("case", c);
                    w.WriteString("agency", agency.Key);
                    w.WriteString("status", ReturnStatuses.Submitted);
                    w.WriteStartObject("answers");
                    foreach (var (key, value) in answers)
                    {
                        w.WritePropertyName(key);
                        WriteValue(w, template.Questions.First(q => q.Key == key), value);
                    }

                    w.WriteEndObject();
                    w.WriteStartObject("evidence");
                    foreach (var key in answers.Keys.Where(_ => random.NextDouble() < 0.25).Take(3))
                    {
                        w.WriteString(key, Evidence[random.Next(Evidence.Length)]);
                    }

                    w.WriteEndObject();
                    w.WriteEndObject();
                }
            }

            w.WriteEndArray();
            w.WriteStartArray("moderation");
            foreach (var c in cases.Take(6))
            {
                var grades = overallByCase[c];
                var moderated = grades.Count(g => g is "good" or "outstanding") * 2 >= grades.Count ? "good" : "requires-improvement";
                w.WriteStartObject();
                w.WriteString("case", c);
                w.WriteString("question", "overall");
                w.WriteString("value", moderated);
                w.WriteString("rationale", moderated == "good"
                    ? "Evidence across agencies shows the child's needs were understood and a multi-agency plan was in place."
                    : "Behaviour was seen as the problem rather than as communication of trauma; the plan did not address safeguarding need.");
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("findings");
            WriteFinding(w, "strength", "Children were seen and spoken to alone",
                "Most agencies evidenced direct work with the child and recorded their views in their own words.", ["child-seen-alone", "voice-about-school"], ["voice-of-child"]);
            WriteFinding(w, "development", "Behaviour seen as the problem, not as communication of trauma",
                "Too often the focus was on SEND and behaviour management rather than on what the behaviour was telling practitioners about the child's safety.",
                ["behaviour-as-communication", "send-and-safeguarding"], ["trauma-informed"]);
            WriteFinding(w, "development", "Exploitation risk not consistently recognised",
                "Indicators of criminal exploitation were present in several cases but were not brought together or escalated.", ["exploitation-risk-recognised"], ["exploitation"]);
            WriteFinding(w, "development", "Escalation procedure not used in live time",
                "Partners who disagreed with step-down or closure re-referred rather than using the professional escalation procedure.",
                ["escalation-procedure-used", "disagreement-recognised"], ["escalation"]);
            w.WriteEndArray();
            w.WriteStartArray("actions");
            WriteAction(w, "Deliver briefings on behaviour as communication of trauma to school designated safeguarding leads", "education", "2025-10-31", "done", 1);
            WriteAction(w, "Add exploitation screening to the attendance panel's referral form", "police", "2025-12-31", "in-progress", 2);
            WriteAction(w, "Relaunch the professional escalation procedure with a one-page guide and audit its use", "hartlepool-csc", "2026-03-31", "open", 3);
            WriteAction(w, "Record a step-down plan with a contingency and bottom line for every case closed to Early Help", "stockton-csc", "2026-09-30", "open", 3);
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    private async Task SeedFollowUpAsync(long templateVersionId, IReadOnlyList<Agency> participating)
    {
        var scrutineer = await ActorAsync("scrutineer");
        if (scrutineer is null)
        {
            return;
        }

        // The follow-up is open with returns under way, so its deadline is ahead of the day the demo is seeded: a fixed
        // date would, once passed, open it already overdue. (The deep dive's dates are history, and come in its package.)
        var baseline = (await planning.ListAsync(scrutineer)).FirstOrDefault(a => a.Title == DeepDiveTitle);
        var auditId = await planning.CreateAsync(scrutineer, new AuditPlan(FollowUpTitle, AuditKinds.FollowUp,
            "Six months after the deep dive: are step-down plans recorded, are partners consulted before step-down or closure, and is the escalation procedure used?",
            "Children stepped down from children's social care to Early Help since the deep dive", PastDates.Today(clock).AddDays(28),
            Thresholds.Default, baseline?.Id), templateVersionId, participating.Select(a => a.Id).ToList());
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

                var answers = Answer(template, agency.Kind, 0.7, random);
                foreach (var (key, value) in answers.Take(row.Case.Ref.EndsWith('1') ? answers.Count : 6))
                {
                    await returns.SaveAnswerAsync(auditor, cell.ReturnId, key, value);
                }
            }
        }
    }

    /// <summary>A plausible return: every question shown to the agency answered in template order, conditions honoured.</summary>
    private static Dictionary<string, object?> Answer(TemplateDefinition template, string agencyKind, double quality, Random random)
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
                QuestionType.Scale or QuestionType.Choice => Pick(options, QualityOf(question.Key, quality), random),
                QuestionType.MultiChoice => options.Where(_ => random.NextDouble() < 0.4).Select(o => o.Value).DefaultIfEmpty(options[0].Value).ToList(),
                QuestionType.Number => question.Key.Contains("attendance") ? (45 + random.Next(26)).ToString(CultureInfo.InvariantCulture)
                    : random.Next(12).ToString(CultureInfo.InvariantCulture),
                QuestionType.Date => new DateOnly(2025, 1 + random.Next(6), 1 + random.Next(28)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                _ => question.Required || random.NextDouble() < 0.6 ? Differences[random.Next(Differences.Length)] : null,
            };
            if (value is not null)
            {
                answers[question.Key] = value;
            }
        }

        return answers;
    }

    private static double QualityOf(string questionKey, double agencyQuality) =>
        StrengthQuestions.Contains(questionKey) ? Math.Max(agencyQuality, 0.95)
        : DevelopmentQuestions.Contains(questionKey) ? Math.Min(agencyQuality * 0.6, 0.4)
        : agencyQuality;

    private static string Pick(IReadOnlyList<ScaleOption> options, double quality, Random random)
    {
        var positive = options.Where(o => o.Polarity == Polarity.Positive).ToList();
        var other = options.Where(o => o.Polarity != Polarity.Positive).ToList();
        var pool = positive.Count > 0 && (other.Count == 0 || random.NextDouble() < quality) ? positive : other.Count > 0 ? other : options.ToList();
        return pool[random.Next(pool.Count)].Value;
    }

    private static void WriteValue(Utf8JsonWriter w, QuestionDefinition question, object? value)
    {
        switch (value)
        {
            case IEnumerable<string> many when value is not string:
                w.WriteStartArray();
                foreach (var v in many)
                {
                    w.WriteStringValue(v);
                }

                w.WriteEndArray();
                break;
            case string s when question.Type == QuestionType.Number:
                w.WriteNumberValue(double.Parse(s, CultureInfo.InvariantCulture));
                break;
            default:
                w.WriteStringValue(value as string);
                break;
        }
    }

    private static void WriteFinding(Utf8JsonWriter w, string kind, string title, string narrative, string[] questions, string[] themes)
    {
        w.WriteStartObject();
        w.WriteString("kind", kind);
        w.WriteString("title", title);
        w.WriteString("narrative", narrative);
        w.WriteStartArray("questions");
        foreach (var q in questions)
        {
            w.WriteStringValue(q);
        }

        w.WriteEndArray();
        w.WriteStartArray("themes");
        foreach (var t in themes)
        {
            w.WriteStringValue(t);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteAction(Utf8JsonWriter w, string description, string owner, string due, string status, int finding)
    {
        w.WriteStartObject();
        w.WriteString("description", description);
        w.WriteString("ownerAgency", owner);
        w.WriteString("due", due);
        w.WriteString("status", status);
        w.WriteNumber("finding", finding);
        w.WriteEndObject();
    }

    private async Task<Actor?> ActorAsync(string userName) =>
        await users.GetByUserNameAsync(userName) is { } u ? new Actor(u.Id, u.UserName, u.Role, u.AgencyId) : null;
}
