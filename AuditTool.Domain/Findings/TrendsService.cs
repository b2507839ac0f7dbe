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

/// <summary>One question key's line on trends: the templates whose audits it joins, and its latest words.</summary>
public sealed record TrendLine(IReadOnlyList<string> TemplateKeys, IReadOnlyList<string> TemplateTitles, string Text);

/// <summary>A question key that stands for more than one measure: its lines, kept apart because their words differ.</summary>
public sealed record SplitKey(string QuestionKey, IReadOnlyList<TrendLine> Lines);

public sealed record Trends(IReadOnlyList<TrendSeries> Themes, IReadOnlyList<TrendSeries> Questions, int PublishedAudits)
{
    /// <summary>Keys kept apart, which a scrutineer may confirm are one measure.</summary>
    public IReadOnlyList<SplitKey> Splits { get; init; } = [];

    /// <summary>The confirmations in force, which a scrutineer may withdraw.</summary>
    public IReadOnlyList<SameMeasure> Confirmed { get; init; } = [];

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
public sealed class TrendsService(IAuditRepository audits, FiguresService figures, ITemplateRepository templates,
    ISameMeasureRepository sameMeasures, AccessPolicy access, TimeProvider clock)
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
        var confirmed = await sameMeasures.GetAllAsync();
        var same = new SameMeasures(confirmed);
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
                // One line per measure (SameMeasures): the same key asking something else in another template is a line
                // of its own, unless a scrutineer confirmed it is the same measure.
                var line = questions.FirstOrDefault(l => l.Key == question.Key &&
                    l.Templates.Any(t => same.AreOne(question.Key, t, l.Text, view.Template.Key, question.Text)));
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
        var splits = questions.Where(l => shared.Contains(l.Key)).GroupBy(l => l.Key)
            .Select(g => new SplitKey(g.Key, g.Select(l => new TrendLine(l.Templates.ToList(), l.TemplateTitles.Distinct().ToList(), l.Text)).ToList()))
            .OrderBy(k => k.QuestionKey, StringComparer.Ordinal).ToList();
        return new Trends(
            themes.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new TrendSeries(Kinds.Theme, t.Key, DisplayNames.Theme(t.Key, themeNames), t.Value)).ToList(),
            questions.Where(q => q.Points.Count > 1).OrderBy(q => q.Text, StringComparer.Ordinal)
                .Select(q => new TrendSeries(Kinds.Question, q.Key,
                    shared.Contains(q.Key) ? $"{q.Text} ({string.Join(", ", q.TemplateTitles.Distinct())})" : q.Text, q.Points))
                .ToList(),
            published.Count) { Splits = splits, Confirmed = confirmed };
    }

    /// <summary>
    /// Confirms that <paramref name="questionKey"/> asks the same thing in both templates, although the words differ: from
    /// now on trends draw their audits on one line and a follow-up compares with a baseline on the other. Logged.
    /// </summary>
    public async Task ConfirmSameMeasureAsync(Actor actor, string questionKey, string templateKey, string otherTemplateKey)
    {
        await access.RequireAsync(actor, "trends.same-measure", Role.Scrutineer);
        var (first, second) = await CheckPairAsync(questionKey, templateKey, otherTemplateKey);
        var now = clock.GetUtcNow();
        var measure = new SameMeasure(questionKey, first, second, actor.UserName, now);
        if (!await sameMeasures.ConfirmAsync(measure, Entry(actor, "confirm-same-measure", questionKey, null, Pair(first, second), now)))
        {
            throw new DomainValidationException($"The question \"{questionKey}\" is already one measure in these two templates.");
        }
    }

    /// <summary>Withdraws a confirmation: the two templates' questions are kept apart again. Logged.</summary>
    public async Task KeepApartAsync(Actor actor, string questionKey, string templateKey, string otherTemplateKey)
    {
        await access.RequireAsync(actor, "trends.same-measure", Role.Scrutineer);
        var (first, second) = SameMeasures.Ordered(templateKey, otherTemplateKey);
        var now = clock.GetUtcNow();
        if (!await sameMeasures.WithdrawAsync(questionKey, first, second, Entry(actor, "keep-measures-apart", questionKey, Pair(first, second), null, now)))
        {
            throw new DomainValidationException("That confirmation is not there (perhaps someone withdrew it meanwhile).");
        }
    }

    private async Task<(string First, string Second)> CheckPairAsync(string questionKey, string templateKey, string otherTemplateKey)
    {
        if (string.IsNullOrWhiteSpace(questionKey) || string.IsNullOrWhiteSpace(templateKey) || string.IsNullOrWhiteSpace(otherTemplateKey) || templateKey == otherTemplateKey)
        {
            throw new DomainValidationException("Name a question key and two different templates that ask it.");
        }

        // Both templates must have published the key (each call lists the uses outside the template it is given).
        var inOther = (await templates.GetPublishedUsesAsync(templateKey, [questionKey])).Any(u => u.TemplateKey == otherTemplateKey);
        var inThis = (await templates.GetPublishedUsesAsync(otherTemplateKey, [questionKey])).Any(u => u.TemplateKey == templateKey);
        if (!inOther || !inThis)
        {
            throw new DomainValidationException($"The question \"{questionKey}\" is not in a published version of both templates.");
        }

        return SameMeasures.Ordered(templateKey, otherTemplateKey);
    }

    private static string Pair(string first, string second) => System.Text.Json.JsonSerializer.Serialize(new { templates = new[] { first, second } });

    private static Logging.AuditLogEntry Entry(Actor actor, string action, string questionKey, string? old, string? @new, DateTimeOffset now) =>
        new(now, actor.UserId, actor.UserName, action, "question", questionKey, old, @new);

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
