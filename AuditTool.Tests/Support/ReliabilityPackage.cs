using System.Globalization;
using AuditTool.Domain.Aggregation;

namespace AuditTool.Tests.Support;

/// <summary>
/// An audit package made for the reliability figures: eight cases; police and education grade every case, health's
/// returns are never submitted (a rater with no grades); the scrutineer moderated "overall" on every case and
/// "seen-alone" on two. "overall" (ofsted4) varies; "seen-alone" is "yes" everywhere (no variation, and one "na");
/// "attendance" is asked of education only (one grade a case: no unit for alpha); "lead" is a choice (not graded).
/// </summary>
public static class ReliabilityPackage
{
    public static readonly string[] Cases = ["RL-001", "RL-002", "RL-003", "RL-004", "RL-005", "RL-006", "RL-007", "RL-008"];

    /// <summary>"overall" per case: police, education, moderated.</summary>
    public static readonly (string Police, string Education, string Moderated)[] Overall =
    [
        ("good", "good", "good"),
        ("good", "requires-improvement", "good"),
        ("outstanding", "good", "good"),
        ("requires-improvement", "requires-improvement", "requires-improvement"),
        ("inadequate", "requires-improvement", "inadequate"),
        ("good", "good", "outstanding"),
        ("outstanding", "outstanding", "outstanding"),
        ("requires-improvement", "inadequate", "requires-improvement"),
    ];

    /// <summary>ofsted4's categories as the figures order them: highest score first.</summary>
    public static readonly string[] Ofsted4 = ["outstanding", "good", "requires-improvement", "inadequate"];

    public static int Category(string value) => Array.IndexOf(Ofsted4, value);

    /// <summary>The "overall" table of the definition: a unit per case, the police's and education's scores.</summary>
    public static IReadOnlyList<IReadOnlyList<double?>> OverallUnits() =>
        Overall.Select(o => (IReadOnlyList<double?>)[4.0 - Category(o.Police), 4.0 - Category(o.Education)]).ToList();

    public static List<(int, int)> PolicePairs() => Overall.Select(o => (Category(o.Police), Category(o.Moderated))).ToList();

    public static List<(int, int)> EducationPairs() => Overall.Select(o => (Category(o.Education), Category(o.Moderated))).ToList();

    public static string Json(string title, string status = "moderation", double? reliabilityThreshold = 0.9, string? figures = null)
    {
        var returns = new List<string>();
        for (var i = 0; i < Cases.Length; i++)
        {
            var c = Cases[i];
            var seen = i == 7 ? "na" : "yes";
            returns.Add($$"""{ "case": "{{c}}", "agency": "police", "status": "submitted", "answers": { "seen-alone": "{{seen}}", "overall": "{{Overall[i].Police}}", "lead": "police" }, "evidence": {} }""");
            returns.Add($$"""{ "case": "{{c}}", "agency": "education", "status": "submitted", "answers": { "seen-alone": "yes", "overall": "{{Overall[i].Education}}", "attendance": "{{(i % 2 == 0 ? "yes" : "no")}}", "lead": "school" }, "evidence": {} }""");
            returns.Add($$"""{ "case": "{{c}}", "agency": "health", "status": "in-progress", "answers": { "seen-alone": "partly" }, "evidence": {} }""");
        }

        var moderation = Cases.Select((c, i) => $$"""{ "case": "{{c}}", "question": "overall", "value": "{{Overall[i].Moderated}}", "rationale": "Read the records." }""")
            .Concat(Cases.Take(2).Select(c => $$"""{ "case": "{{c}}", "question": "seen-alone", "value": "yes", "rationale": "" }"""));
        var threshold = reliabilityThreshold is { } t ? $", \"reliability\": {t.ToString(CultureInfo.InvariantCulture)}" : "";
        return $$"""
            { "format": "audittool.audit/v1",
              "audit": { "title": "{{title}}", "kind": "multi-agency", "purpose": "Reliability check", "sampleCriteria": "Hand picked",
                         "thresholds": { "strength": 0.8, "development": 0.6, "minimumCount": 5{{threshold}} }, "baselineTitle": null, "status": "{{status}}" },
              "template": { "format": "audittool.template/v1", "key": "reliability-check", "version": 1, "title": "Reliability check", "description": "",
                "scales": {},
                "sections": [
                  { "key": "practice", "title": "Practice", "guidance": "", "agencyKinds": [],
                    "questions": [
                      { "key": "seen-alone", "text": "Was the child seen alone?", "guidance": "", "type": "scale", "scale": "yes-partly-no", "required": true, "weight": 1, "themes": [] },
                      { "key": "overall", "text": "Overall, how good was this agency's practice?", "guidance": "", "type": "scale", "scale": "ofsted4", "required": true, "weight": 1, "themes": [] },
                      { "key": "lead", "text": "Who led the plan?", "guidance": "", "type": "choice", "required": false, "weight": 1, "themes": [],
                        "options": [ { "value": "police", "label": "Police", "score": 1, "polarity": "positive" }, { "value": "school", "label": "School", "score": 2, "polarity": "positive" } ] } ] },
                  { "key": "school", "title": "School", "guidance": "", "agencyKinds": ["education"],
                    "questions": [ { "key": "attendance", "text": "Was attendance followed up?", "guidance": "", "type": "scale", "scale": "yes-partly-no", "required": true, "weight": 1, "themes": [] } ] } ] },
              "agencies": [ { "key": "police", "name": "Cleveland Police", "kind": "police" }, { "key": "education", "name": "Schools and Education Services", "kind": "education" },
                            { "key": "health", "name": "Health Services", "kind": "health" } ],
              "cases": [ {{string.Join(", ", Cases.Select(r => $$"""{ "ref": "{{r}}", "attributes": {} }"""))}} ],
              "returns": [ {{string.Join(",\n", returns)}} ],
              "moderation": [ {{string.Join(",\n", moderation)}} ],
              "findings": [], "actions": []{{(figures is null ? "" : $", \"figures\": {figures}")}} }
            """;
    }

    /// <summary>The expected ordinal alpha of "overall", from the pure function (itself checked against the paper).</summary>
    public static double OverallAlpha() => Reliability.Alpha(OverallUnits(), AlphaMetric.Ordinal)!.Value;

    /// <summary>The expected figure of "overall" with its interval: the cases in reference order, counts per category.</summary>
    public static ReliabilityFigure OverallAlphaFigure(double threshold) =>
        Reliability.AlphaFigure(
            Overall.Select(o => Enumerable.Range(0, 4).Select(c => (Category(o.Police) == c ? 1 : 0) + (Category(o.Education) == c ? 1 : 0)).ToArray()).ToList(),
            [4, 3, 2, 1], threshold);
}
