using AuditTool.Domain.Templates;
using System.Globalization;
using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Security;

namespace AuditTool.Domain.Findings;

/// <summary>One published audit's figure in a trend.</summary>
/// <param name="Counted">The answers behind the rate (for a theme, the weighted count).</param>
/// <param name="TemplateTitle">The template the audit asked the question from (a trend can join audits of several).</param>
public sealed record TrendPoint(long AuditId, string AuditTitle, DateTimeOffset? PublishedUtc, double? Rate, double Counted, string TemplateTitle = "")
{
    private static readonly CultureInfo EnGb = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>The day of publication as the report gives it ("2 December 2026").</summary>
    public string Published => PublishedUtc is { } p ? p.UtcDateTime.ToString("d MMMM yyyy", EnGb) : "not published";

    /// <summary>The audit the point stands for, by its title and day of publication: "Deep dive, 2 December 2026".</summary>
    public string Label => PublishedUtc is null ? AuditTitle : $"{AuditTitle}, {Published}";
}

/// <summary>A theme's or a question key's positive rate in every published audit that has it, oldest first.</summary>
public sealed record TrendSeries(string Kind, string Key, string Label, IReadOnlyList<TrendPoint> Points)
{
    /// <summary>A chart's category for each point, in order: the point's <see cref="TrendPoint.Label"/>, made unique
    /// (two audits of the same title published the same day are "…, 2 December 2026 (2)"), so every audit has a place
    /// of its own on the axis and no date is made up.</summary>
    public IReadOnlyList<string> PointLabels => Unique(Points.Select(p => p.Label).ToList());

    /// <summary>What the chart of the series draws, in words that match it.</summary>
    public string Caption => Points.Count == 1
        ? "positive %: one published audit has it, so one point; a trend needs a second one"
        : $"positive %: {Points.Count} published audits, a point each, in order of publication";

    private static List<string> Unique(List<string> labels)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        return labels.Select(l => (seen[l] = seen.GetValueOrDefault(l) + 1) == 1 ? l : $"{l} ({seen[l]})").ToList();
    }
}

public sealed record Trends(IReadOnlyList<TrendSeries> Themes, IReadOnlyList<TrendSeries> Questions, int PublishedAudits)
{
    /// <summary>What the page shows, in words that match its charts.</summary>
    public string Summary => PublishedAudits switch
    {
        0 => "No reports have been published yet.",
        1 => "One published audit is shown, as one point on each chart: a trend needs a second one.",
        var n => $"{n} published audits are shown, a point each, in order of publication.",
    };
}

/// <summary>
/// Is practice getting better? For each theme, and each question key asked in more than one published audit, the
/// positive rate in every published audit over time. Audits on different template versions compare by the stable
/// question key, as follow-ups do. Aggregates only: executives, managers and scrutineers.
/// </summary>
public sealed class TrendsService(IAuditRepository audits, FiguresService figures, AccessPolicy access)
{
    public static class Kinds
    {
        public const string Theme = "theme";
        public const string Question = "question";
    }

    public async Task<Trends> GetAsync(Actor actor)
    {
        await access.RequireAsync(actor, "trends.read", Role.Scrutineer, Role.Manager, Role.Executive);
        var published = (await audits.GetManyAsync())
            .Where(a => a.Status is AuditStatuses.Published or AuditStatuses.Closed)
            .OrderBy(a => a.PublishedUtc ?? DateTimeOffset.MaxValue).ThenBy(a => a.Id)
            .ToList();
        var themes = new Dictionary<string, List<TrendPoint>>(StringComparer.Ordinal);
        // A theme reads by the name the latest template naming it gives.
        var themeNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var questions = new List<QuestionLine>();
        foreach (var audit in published)
        {
            var view = await figures.ComputeAsync(audit);
            var f = view.Figures;
            foreach (var (theme, name) in view.Template.ThemeNames)
            {
                themeNames[theme] = name;
            }

            foreach (var theme in f.Themes)
            {
                Add(themes, theme.Theme, new TrendPoint(audit.Id, audit.Title, audit.PublishedUtc, theme.Rate, theme.WeightedCounted, view.Template.Title));
            }

            foreach (var question in f.Questions.Where(q => q.Classification is not (Classification.NoRate or Classification.Descriptive)))
            {
                var point = new TrendPoint(audit.Id, audit.Title, audit.PublishedUtc, question.PositiveRate, question.Counted, view.Template.Title);
                // One line per measure: the same key in the same template (its versions keep the key on purpose, whatever
                // the wording), or the same key and the same words in another template. The same key asking something
                // else in another template is a line of its own.
                var line = questions.FirstOrDefault(l => l.Key == question.Key &&
                    (l.Templates.Contains(view.Template.Key) || QuestionDefinition.SameWords(l.Text, question.Text)));
                if (line is null)
                {
                    questions.Add(line = new QuestionLine(question.Key));
                }

                // The latest wording labels the line.
                line.Text = question.Text;
                line.Templates.Add(view.Template.Key);
                line.TemplateTitles.Add(view.Template.Title);
                line.Points.Add(point);
            }
        }

        // A key that stands for more than one measure: each line names its templates, so they are never read as one.
        var shared = questions.GroupBy(l => l.Key).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        return new Trends(
            themes.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new TrendSeries(Kinds.Theme, t.Key, DisplayNames.Theme(t.Key, themeNames), t.Value)).ToList(),
            questions.Where(q => q.Points.Count > 1).OrderBy(q => q.Text, StringComparer.Ordinal)
                .Select(q => new TrendSeries(Kinds.Question, q.Key,
                    shared.Contains(q.Key) ? $"{q.Text} ({string.Join(", ", q.TemplateTitles.Distinct())})" : q.Text, q.Points))
                .ToList(),
            published.Count);
    }

    private sealed class QuestionLine(string key)
    {
        public string Key { get; } = key;
        public string Text { get; set; } = "";
        public HashSet<string> Templates { get; } = new(StringComparer.Ordinal);
        public List<string> TemplateTitles { get; } = [];
        public List<TrendPoint> Points { get; } = [];
    }

    private static void Add(Dictionary<string, List<TrendPoint>> series, string key, TrendPoint point)
    {
        if (!series.TryGetValue(key, out var points))
        {
            series[key] = points = [];
        }

        points.Add(point);
    }
}
