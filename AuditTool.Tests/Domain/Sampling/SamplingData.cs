using AuditTool.Domain.Sampling;

namespace AuditTool.Tests.Domain.Sampling;

/// <summary>Cohorts and criteria for the sampling tests, shaped like the partnership's disengagement deep dive.</summary>
internal static class SamplingData
{
    /// <summary>
    /// Ten cases. Under the deep-dive criteria the eligible ones are C-001 (65%), C-002 (exactly 70), C-004 (exactly
    /// 5 days), C-007 (62.5%, "sen support" in lower case) and C-008 (no attendance figure, 7 days).
    /// </summary>
    public const string DeepDiveCsv = """
        ref,locality,age,attendance,suspension days,send,plan type
        C-001,Hartlepool,14,65,0,SEN support,CIN
        C-002,Stockton,12,70,0,SEN support,Early Help
        C-003,Hartlepool,15,71,4,SEN support,CP
        C-004,Stockton,13,88,5,SEN support,CIN
        C-005,Hartlepool,11,55,6,EHCP,CP
        C-006,Stockton,16,92,0,None,Early Help
        C-007,Hartlepool,14,62.5%,1,sen support,CIN
        C-008,Stockton,15,,7,SEN support,CP
        C-009,Hartlepool,13,68,0,None,CIN
        C-010,Stockton,12,95,2,SEN support,Early Help
        """;

    public static readonly string[] DeepDiveEligible = ["C-001", "C-002", "C-004", "C-007", "C-008"];

    /// <summary>(attendance at most 70 OR suspension days at least 5) AND send equals "SEN support".</summary>
    public static SampleCriteria DeepDiveCriteria { get; } = new(
    [
        new CriteriaGroup([AtMost("attendance", "70"), AtLeast("suspension days", "5")]),
        new CriteriaGroup([Is("send", "SEN support")]),
    ]);

    public static CsvTable Parse(string csv, int maxRows = CohortCsv.DefaultMaxRows, IProgress<int>? progress = null) =>
        CohortCsv.Parse(new StringReader(csv), maxRows, progress);

    public static Cohort CohortOf(string csv) => CohortCsv.ToCohort(Parse(csv), "ref");

    public static Cohort DeepDive() => CohortOf(DeepDiveCsv);

    /// <summary>
    /// Cases C-001 to C-{count}: odd numbers in Hartlepool, even in Stockton; every third case "SEN support", the
    /// rest "None"; attendance 50 + (7 × number mod 50).
    /// </summary>
    public static Cohort Numbered(int count)
    {
        var rows = Enumerable.Range(1, count)
            .Select(n => (IReadOnlyList<string>)
            [
                $"C-{n:000}",
                n % 2 == 1 ? "Hartlepool" : "Stockton",
                (50 + 7 * n % 50).ToString(System.Globalization.CultureInfo.InvariantCulture),
                n % 3 == 0 ? "SEN support" : "None",
            ])
            .ToList();
        return CohortCsv.ToCohort(new CsvTable(["ref", "locality", "attendance", "send"], rows), "ref");
    }

    public static CohortRow Case(params (string Attribute, string Value)[] attributes) =>
        new(0, "C-001", attributes.ToDictionary(a => a.Attribute, a => a.Value, StringComparer.OrdinalIgnoreCase));

    public static SampleCriteria AllOf(params CriteriaGroup[] groups) => new(groups);

    public static CriteriaGroup AnyOf(params Criterion[] conditions) => new(conditions);

    public static SampleCriteria Only(Criterion criterion) => AllOf(AnyOf(criterion));

    public static Criterion Is(string attribute, string value) => new(attribute, CriterionOperator.Equals, [value]);

    public static Criterion In(string attribute, params string[] values) => new(attribute, CriterionOperator.In, values);

    public static Criterion AtMost(string attribute, string value) => new(attribute, CriterionOperator.AtMost, [value]);

    public static Criterion AtLeast(string attribute, string value) => new(attribute, CriterionOperator.AtLeast, [value]);

    public static IReadOnlyList<string> Refs(IEnumerable<CohortRow> rows) => rows.Select(row => row.Ref).ToList();

    /// <summary>Records every report at once, unlike Progress&lt;T&gt;, which posts them to a synchronisation context.</summary>
    public sealed class RecordingProgress : IProgress<int>
    {
        public List<int> Reports { get; } = [];

        public void Report(int value) => Reports.Add(value);
    }
}
