using System.Globalization;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Packages;
using AuditTool.Domain.Templates;

namespace AuditTool.Benchmarks.Data;

/// <summary>
/// A synthetic audit as a package: every agency returns on every case, every return is submitted and answers every
/// question (no conditions), so answers = cases x agencies x questions exactly. A fixed seed makes runs comparable.
/// </summary>
public static class DataGenerator
{
    public const string OverallKey = "overall-judgement";

    private static readonly (string Kind, string Name)[] AgencyList =
    [
        (AgencyKinds.Police, "Northshire Police"),
        (AgencyKinds.Health, "Northshire Integrated Care Board"),
        (AgencyKinds.SocialCare, "Northshire Children's Social Care"),
        (AgencyKinds.Education, "Northshire Education Services"),
        (AgencyKinds.EarlyHelp, "Northshire Early Help"),
        (AgencyKinds.YouthJustice, "Northshire Youth Justice Service"),
        (AgencyKinds.Health, "Northshire Community Health Trust"),
        (AgencyKinds.Other, "Northshire Housing"),
    ];

    private static readonly string[] Topics =
    [
        "the child's voice heard and recorded", "risk assessed and reviewed", "the plan specific and time-bound",
        "information shared promptly with partners", "disagreement escalated in live time", "the chronology up to date",
        "the family engaged in the plan", "management oversight evident", "the threshold decision sound",
        "the outcome for the child improved",
    ];

    private static readonly string[] Themes = ["voice-of-child", "risk", "planning", "information-sharing", "escalation", "outcomes"];

    private static readonly string[] TextAnswers =
    [
        "Strategy discussion held within the timescale.", "Referral made by the school nurse.", "No concerns raised by partners.",
        "Case discussed at the multi-agency panel.", "Family declined the offer of early help.", "Plan reviewed after the incident.",
        "Information request answered within two days.", "Missing episode recorded and followed up.",
    ];

    private static readonly string[] EvidenceNotes =
    [
        "Seen in the case notes", "Recorded in the strategy minutes", "Confirmed with the allocated worker",
        "From the chronology", "Set out in the child's plan", "Noted in the supervision record",
    ];

    private static readonly IReadOnlyList<ScaleOption> ChoiceOptions =
    [
        new("escalated", "Challenged and escalated in live time", 2, Polarity.Positive),
        new("discussed", "Resolved by professional discussion", 1, Polarity.Neutral),
        new("not-raised", "Concern not raised", 0, Polarity.Negative),
    ];

    public static AuditPackage Create(BenchmarkSize size, int seed = 42) =>
        Create($"Benchmark audit ({size.Name})", size.Cases, size.Agencies, size.Questions, seed);

    /// <summary>A few cases on the same template and agencies: the child processes run each operation on it first, so the
    /// measured run does not pay for JIT compilation (as in the running web app).</summary>
    public static AuditPackage CreateWarmUp(BenchmarkSize size) => Create($"Warm-up ({size.Name})", 3, size.Agencies, size.Questions, seed: 7);

    public static AuditPackage Create(string title, int cases, int agencies, int questions, int seed)
    {
        var random = new Random(seed);
        var template = Template(questions);
        var agencyList = Enumerable.Range(0, agencies)
            .Select(i => i < AgencyList.Length
                ? new PackageAgency($"bm-{i + 1}-{AgencyList[i].Kind}", AgencyList[i].Name, AgencyList[i].Kind)
                : new PackageAgency($"bm-{i + 1}-other", $"Northshire Partner {i + 1}", AgencyKinds.Other))
            .ToList();
        var caseList = Enumerable.Range(1, cases)
            .Select(i => new PackageCase($"BM-{i:D5}", new Dictionary<string, string>
            {
                ["age"] = random.Next(0, 18).ToString(CultureInfo.InvariantCulture),
                ["gender"] = random.Next(2) == 0 ? "female" : "male",
            }))
            .ToList();

        var allQuestions = template.Questions.ToList();
        var returns = new List<PackageReturn>(cases * agencies);
        foreach (var c in caseList)
        {
            foreach (var agency in agencyList)
            {
                var answers = new Dictionary<string, object?>(allQuestions.Count);
                var evidence = new Dictionary<string, string>();
                foreach (var question in allQuestions)
                {
                    answers[question.Key] = Answer(random, template, question);
                    if (random.NextDouble() < 0.10)
                    {
                        evidence[question.Key] = $"{EvidenceNotes[random.Next(EvidenceNotes.Length)]}, {random.Next(1, 29)} {(random.Next(2) == 0 ? "March" : "April")}.";
                    }
                }

                returns.Add(new PackageReturn(c.Ref, agency.Key, ReturnStatuses.Submitted, answers, evidence, null));
            }
        }

        var firstYesNo = allQuestions.First(q => q.Scale == "yes-partly-no");
        var moderation = new List<PackageModeration>();
        foreach (var c in caseList.Where((_, i) => i % 20 == 0))
        {
            moderation.Add(new PackageModeration(c.Ref, OverallKey, Pick(random, BuiltInScales.All["ofsted4"]).Value, "Moderated after reading the full chronology."));
            moderation.Add(new PackageModeration(c.Ref, firstYesNo.Key, Pick(random, BuiltInScales.All["yes-partly-no"]).Value, "The records show partial evidence."));
        }

        var audit = new PackageAudit(title, AuditKinds.MultiAgency, "Synthetic audit for the benchmark.", "Every case of the synthetic cohort.",
            Thresholds.Default, null, AuditStatuses.Moderation, null, null, null, null, null);
        return new AuditPackage(audit, template, agencyList, caseList, returns, moderation, [], []);
    }

    /// <summary>Mostly yes-partly-no and ofsted4 scale questions, a few choice, number and text, in three sections, with
    /// one overall ofsted4 judgement last. The same question count always gives the same template.</summary>
    public static TemplateDefinition Template(int questions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(questions, 3);
        var list = new List<QuestionDefinition>();
        for (var i = 0; i < questions - 1; i++)
        {
            var key = $"q{i + 1:D2}";
            var text = $"Q{i + 1}. Was {Topics[i % Topics.Length]}?";
            var themes = i % 5 == 0 ? new[] { Themes[i % Themes.Length], Themes[(i + 1) % Themes.Length] } : [Themes[i % Themes.Length]];
            var weight = i % 7 == 0 ? 2 : 1;
            list.Add((i % 20) switch
            {
                < 12 => Question(key, text, QuestionType.Scale, "yes-partly-no", [], weight, themes),
                < 17 => Question(key, text, QuestionType.Scale, "ofsted4", [], weight, themes),
                17 => Question(key, $"Q{i + 1}. How did this agency respond to disagreement?", QuestionType.Choice, null, ChoiceOptions, weight, themes),
                18 => Question(key, $"Q{i + 1}. How many contacts did this agency have with the child?", QuestionType.Number, null, [], 1, []),
                _ => Question(key, $"Q{i + 1}. What happened at the point of referral?", QuestionType.Text, null, [], 1, []),
            });
        }

        list.Add(Question(OverallKey, "Overall, how good was this agency's practice with the child and family?", QuestionType.Scale, "ofsted4", [], 2, ["outcomes"]));
        var third = (list.Count + 2) / 3;
        var sections = new[] { ("practice", "Direct practice"), ("partnership", "Working together"), ("outcomes", "Outcomes and judgement") }
            .Select((s, i) => new SectionDefinition(s.Item1, s.Item2, string.Empty, [], list.Skip(i * third).Take(i == 2 ? int.MaxValue : third).ToList()))
            .ToList();
        return new TemplateDefinition($"benchmark-{questions}", 1, $"Benchmark template ({questions} questions)",
            "Synthetic template for the benchmark.", new Dictionary<string, IReadOnlyList<ScaleOption>>(), sections);
    }

    private static QuestionDefinition Question(string key, string text, QuestionType type, string? scale, IReadOnlyList<ScaleOption> options,
        double weight, IReadOnlyList<string> themes) =>
        new(key, text, string.Empty, type, scale, options, Required: true, weight, themes, ShowIf: null);

    private static string Answer(Random random, TemplateDefinition template, QuestionDefinition question) => question.Type switch
    {
        QuestionType.Scale when question.Scale == "yes-partly-no" => Weighted(random, template.OptionsOf(question), 0.50, 0.25, 0.17, 0.08),
        QuestionType.Scale => Weighted(random, template.OptionsOf(question), 0.15, 0.45, 0.30, 0.10),
        QuestionType.Choice => Pick(random, question.Options).Value,
        QuestionType.Number => random.Next(3) == 0
            ? (random.Next(0, 20) + 0.5).ToString(CultureInfo.InvariantCulture)
            : random.Next(0, 20).ToString(CultureInfo.InvariantCulture),
        _ => TextAnswers[random.Next(TextAnswers.Length)],
    };

    private static string Weighted(Random random, IReadOnlyList<ScaleOption> options, params double[] weights)
    {
        var roll = random.NextDouble();
        for (var i = 0; i < options.Count - 1; i++)
        {
            roll -= weights[i];
            if (roll < 0)
            {
                return options[i].Value;
            }
        }

        return options[^1].Value;
    }

    private static ScaleOption Pick(Random random, IReadOnlyList<ScaleOption> options) => options[random.Next(options.Count)];
}
