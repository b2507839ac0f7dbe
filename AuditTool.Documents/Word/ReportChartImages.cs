using AuditTool.Domain.Findings;
using ScottPlot;

namespace AuditTool.Documents.Word;

/// <summary>
/// A chart of the report as a PNG, with the words that describe it to someone who cannot see it (alt text), and the
/// same figures as a table.
/// </summary>
/// <param name="Bars">What the image draws, read back from the plot after drawing: each bar's category (a question or
/// an option), its length in percent and the label written on it. Empty for the baseline charts.</param>
/// <param name="Note">How to read the chart, when a reader needs telling (a multichoice question's bars can add up to
/// more than 100%).</param>
/// <param name="Lines">The threshold lines drawn, read back from the plot: their label and position in percent.</param>
/// <param name="FontFamily">The font every word of the image is drawn in (the Word report's body font, or its
/// metric-compatible twin where that is not installed).</param>
public sealed record ChartImage(string Title, string AltText, byte[] Png, int WidthPx, int HeightPx,
    IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows, IReadOnlyList<PlottedBar> Bars, string? Note = null)
{
    public IReadOnlyList<PlottedLine> Lines { get; init; } = [];

    /// <summary>The category labels down the left as drawn, top first, read back from the plot's axis after drawing
    /// (a wrapped label's lines joined by "\n").</summary>
    public IReadOnlyList<string> CategoryLabels { get; init; } = [];

    public string FontFamily { get; init; } = ReportChartImages.FontFamily;
}

/// <param name="Label">The words drawn beside the line ("Strength 80%").</param>
/// <param name="Percent">Where the line crosses the percent axis.</param>
public sealed record PlottedLine(string Label, double Percent);

/// <param name="Category">The question or option the bar stands for.</param>
/// <param name="Percent">The bar's length (for a part of a stacked bar, the part's).</param>
/// <param name="Label">The words drawn on or beside the bar ("" when there was no room).</param>
public sealed record PlottedBar(string Category, double Percent, string Label);

/// <summary>
/// The report's charts drawn on the server with ScottPlot (headless, SkiaSharp): the same figures and colours as the
/// report page. Rate axes run 0 to 100% in steps of 20.
/// </summary>
public static class ReportChartImages
{
    // Drawn at twice the size it is shown, so it stays sharp in print.
    private const int Width = 1200;
    private const float FontSize = 22;
    private static readonly double[] PercentTicks = [0, 20, 40, 60, 80, 100];
    private static readonly string[] PercentLabels = ["0%", "20%", "40%", "60%", "80%", "100%"];

    // A part of a stacked bar narrower than this (in percent) has no room for its label.
    private const double MinLabelledPart = 7;

    // A line of the legend, at the font size: the image grows by one per option.
    private const int LegendLinePx = 40;

    // A line of a category's label, at the font size, and the characters it holds.
    private const int LinePx = 28;
    private const int LabelLineChars = 34;

    // Room above the bars for the threshold lines' labels, one line each.
    private const int ThresholdLabelPx = 34;

    /// <summary>The Word report's body font is Arial; where Arial is not installed (Linux servers), Liberation Sans has
    /// the same metrics. Never the system's default, which can be a serif.</summary>
    public static string FontFamily { get; } = ResolveFont();

    private static string ResolveFont()
    {
        var installed = SkiaSharp.SKFontManager.Default.GetFontFamilies();
        return new[] { "Arial", "Liberation Sans", "Helvetica", "DejaVu Sans" }.FirstOrDefault(f => installed.Contains(f, StringComparer.OrdinalIgnoreCase))
            ?? Fonts.Sans;
    }

    public static IReadOnlyList<ChartImage> For(ReportView report)
    {
        var charts = new List<ChartImage>();
        foreach (var figure in report.QuestionFigures)
        {
            charts.Add(figure.Layout == ChartLayout.Stacked ? Stacked(figure) : BarPerOption(figure));
        }

        if (report.Agencies.Count > 0)
        {
            charts.Add(Rates("Positive rate by agency", report.Agencies));
        }

        if (report.Themes.Count > 0)
        {
            charts.Add(Rates("Positive rate by theme", report.Themes));
        }

        if (report.ThemeChanges.Count > 0)
        {
            charts.Add(Baseline("Themes: baseline against now", report.BaselineTitle, report.ThemeChanges));
        }

        if (report.QuestionChanges.Count > 0)
        {
            charts.Add(Baseline("Questions: baseline against now", report.BaselineTitle, report.QuestionChanges));
        }

        return charts;
    }

    /// <summary>Scale and single-choice questions with the same options: a stacked bar per question, each part
    /// labelled with its share where there is room, and a legend of one line per option under the bars.</summary>
    private static ChartImage Stacked(QuestionFigure figure)
    {
        var questions = figure.Questions;
        var plot = new Plot();
        var bars = new List<Bar>();
        for (var q = 0; q < questions.Count; q++)
        {
            var start = 0.0;
            foreach (var share in questions[q].Shares)
            {
                var value = share.Share * 100;
                bars.Add(new Bar
                {
                    Position = questions.Count - 1 - q,
                    ValueBase = start,
                    Value = start + value,
                    FillColor = Color.FromHex(share.Colour),
                    Orientation = Orientation.Horizontal,
                    // A part too narrow for its figure is left unlabelled; the table and the alt text have it.
                    Label = value >= MinLabelledPart ? share.Percent : "",
                    CenterLabel = true,
                });
                start += value;
            }
        }

        // Each part's figure in white or near-black, whichever reads on its colour (4.5:1): two sets of bars.
        foreach (var group in bars.GroupBy(b => ChartColours.TextOn(b.FillColor.ToHex()[..7])))
        {
            var set = plot.Add.Bars(group.ToList());
            set.ValueLabelStyle.FontSize = FontSize;
            set.ValueLabelStyle.Bold = true;
            set.ValueLabelStyle.ForeColor = Color.FromHex(group.Key);
        }

        foreach (var option in figure.Options)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = option.Label, FillColor = Color.FromHex(option.Colour) });
        }

        // One line per option: a legend never runs off the side of the image, however many options or long their words.
        plot.ShowLegend(Edge.Bottom);
        plot.Legend.Orientation = Orientation.Vertical;
        var rowPx = Categories(plot, questions.Select(q => q.Text).ToList());
        var lines = ThresholdLines(plot, figure, questions.Count, rowPx);
        var image = Save(plot, figure.Title, figure.Description,
            160 + rowPx * questions.Count + LegendLinePx * figure.Options.Count + ThresholdLabelPx * lines.Count,
            figure.Header, figure.Rows, Plotted(bars, questions.Select(q => q.Text).ToList()));
        return image with { Lines = lines };
    }

    /// <summary>A graded figure's thresholds: a dashed line across the bars at each, labelled above the bars with its
    /// words ending at the line, one line of words each so they never overlap.</summary>
    private static List<PlottedLine> ThresholdLines(Plot plot, QuestionFigure figure, int rows, int rowPx)
    {
        var lines = figure.ThresholdLines;
        if (lines.Count == 0)
        {
            return [];
        }

        // Category units per pixel: one category is rowPx tall.
        var unitsPerPx = 1.0 / rowPx;
        var top = rows - 0.4;
        var drawn = new List<PlottedLine>();
        for (var i = 0; i < lines.Count; i++)
        {
            var (label, percent) = lines[i];
            var line = plot.Add.VerticalLine(percent, 3, Color.FromHex(ChartColours.Threshold), LinePattern.Dashed);
            _ = line;
            var y = top + ThresholdLabelPx * unitsPerPx * (lines.Count - i - 0.15);
            var text = plot.Add.Text(label, percent, y);
            text.LabelFontSize = FontSize;
            text.LabelFontColor = Color.FromHex(ChartColours.Threshold);
            text.LabelAlignment = Alignment.LowerRight;
            text.LabelFontName = FontFamily;
            text.OffsetX = -6;
            drawn.Add(new PlottedLine(text.LabelText, line.X));
        }

        plot.Axes.SetLimitsY(-0.6, top + ThresholdLabelPx * unitsPerPx * lines.Count + 0.1);
        return drawn;
    }

    /// <summary>A multichoice question: a bar per option, named on the axis and labelled with its share at its end.</summary>
    private static ChartImage BarPerOption(QuestionFigure figure)
    {
        var options = figure.Options;
        var plot = new Plot();
        var plotted = plot.Add.Bars(options.Select((o, i) => new Bar
        {
            Position = options.Count - 1 - i,
            Value = o.Share * 100,
            FillColor = Color.FromHex(o.Colour),
            Orientation = Orientation.Horizontal,
            Label = o.Percent,
        }).ToList());
        plotted.ValueLabelStyle.FontSize = FontSize;
        plotted.ValueLabelStyle.Bold = true;
        var rowPx = Categories(plot, options.Select(o => o.Label).ToList());
        // Room to the right of a full bar for its label; the axis still reads 0 to 100%.
        plot.Axes.SetLimitsX(0, 112);
        var note = QuestionFigure.SeveralAnswers(figure.Questions[0]);
        return Save(plot, figure.Title, figure.Description, 160 + rowPx * options.Count, figure.Header, figure.Rows,
            Plotted(plotted, options.Select(o => o.Label).ToList())) with { Note = char.ToUpperInvariant(note[0]) + note[1..] };
    }

    private static ChartImage Rates(string title, IReadOnlyList<RateBar> rows)
    {
        var plot = new Plot();
        var bars = rows.Select((r, i) => new Bar
        {
            Position = rows.Count - 1 - i,
            Value = (r.Rate ?? 0) * 100,
            FillColor = Color.FromHex(ChartColours.Rate),
            Orientation = Orientation.Horizontal,
            Label = Percent(r.Rate),
        }).ToList();
        var plotted = plot.Add.Bars(bars);
        plotted.ValueLabelStyle.FontSize = FontSize;
        plotted.ValueLabelStyle.Bold = true;
        var rowPx = Categories(plot, rows.Select(r => r.Label).ToList());
        plot.Axes.SetLimitsX(0, 112);
        var alt = $"{title}, as horizontal bars from 0 to 100%. " + string.Join(" ", rows.Select(r => $"{r.Label}: {Percent(r.Rate)}."));
        return Save(plot, title, alt, 160 + rowPx * rows.Count, ["Name", "Positive", "Detail"],
            rows.Select(r => new[] { r.Label, Percent(r.Rate), r.Detail }).ToList(), Plotted(plotted, rows.Select(r => r.Label).ToList()));
    }

    private static ChartImage Baseline(string title, string? baselineTitle, IReadOnlyList<ChangeRow> rows)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        for (var i = 0; i < rows.Count; i++)
        {
            var position = (rows.Count - 1 - i) * 3;
            bars.Add(new Bar { Position = position + 0.5, Value = (rows[i].Baseline ?? 0) * 100, FillColor = Color.FromHex(ChartColours.Baseline), Orientation = Orientation.Horizontal, Size = 0.9 });
            bars.Add(new Bar { Position = position - 0.5, Value = (rows[i].Now ?? 0) * 100, FillColor = Color.FromHex(ChartColours.Rate), Orientation = Orientation.Horizontal, Size = 0.9 });
        }

        plot.Add.Bars(bars);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "Baseline", FillColor = Color.FromHex(ChartColours.Baseline) });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "Now", FillColor = Color.FromHex(ChartColours.Rate) });
        plot.ShowLegend(Edge.Bottom);
        plot.Axes.Left.SetTicks(rows.Select((_, i) => (double)(rows.Count - 1 - i) * 3).ToArray(), rows.Select(r => Wrap(r.Label)).ToArray());
        PercentAxis(plot);
        plot.Axes.SetLimitsY(-1.6, (rows.Count - 1) * 3 + 1.6);
        var alt = $"{title}{(baselineTitle is null ? "" : $" ({baselineTitle})")}: positive rates as pairs of bars. " +
            string.Join(" ", rows.Select(r => $"{r.Label}: baseline {Percent(r.Baseline)}, now {Percent(r.Now)}" +
                (r.ChangePoints is { } c ? $", {c:+0;-0;0} points." : ".")));
        return Save(plot, title, alt, 200 + 90 * rows.Count, ["Name", "Baseline", "Now", "Change (points)"],
            rows.Select(r => new[] { r.Label, Percent(r.Baseline), Percent(r.Now), r.ChangePoints is { } c ? c.ToString("+0;-0;0", System.Globalization.CultureInfo.InvariantCulture) : "–" }).ToList());
    }

    /// <summary>The categories down the left, first at the top, each label wrapped onto lines rather than cut; returns
    /// the height in pixels a category needs for its label.</summary>
    private static int Categories(Plot plot, IReadOnlyList<string> labels)
    {
        var wrapped = labels.Select(Wrap).ToList();
        plot.Axes.Left.SetTicks(labels.Select((_, i) => (double)(labels.Count - 1 - i)).ToArray(), wrapped.ToArray());
        PercentAxis(plot);
        plot.Axes.SetLimitsY(-0.6, labels.Count - 0.4);
        var lines = wrapped.Max(w => w.Count(c => c == '\n') + 1);
        return Math.Max(64, LinePx * lines + 24);
    }

    /// <summary>Words on lines of at most <see cref="LabelLineChars"/> characters, as many lines as the words need: a
    /// question's label is never cut (a single word longer than a line is broken only then).</summary>
    internal static string Wrap(string text)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > LabelLineChars)
            {
                lines.Add(line);
                line = word;
            }
            else
            {
                line = line.Length == 0 ? word : line + " " + word;
            }

            while (line.Length > LabelLineChars)
            {
                lines.Add(line[..LabelLineChars]);
                line = line[LabelLineChars..];
            }
        }

        lines.Add(line);
        return string.Join("\n", lines);
    }

    private static void PercentAxis(Plot plot)
    {
        plot.Axes.Bottom.SetTicks(PercentTicks, PercentLabels);
        // Room on the right for half of the last tick's label ("100%", bold at the font size, about 60 px), which is
        // centred on the edge, with a margin so nothing touches the image's edge.
        plot.Axes.Right.MinimumSize = 64;
        plot.Axes.SetLimitsX(0, 100);
    }

    private static ChartImage Save(Plot plot, string title, string alt, int height, IReadOnlyList<string> header, IReadOnlyList<string[]> rows,
        Func<IReadOnlyList<PlottedBar>>? bars = null)
    {
        plot.Font.Set(FontFamily);
        plot.Axes.Left.TickLabelStyle.FontSize = FontSize;
        plot.Axes.Bottom.TickLabelStyle.FontSize = FontSize;
        plot.Legend.FontSize = FontSize;
        plot.Legend.FontName = FontFamily;
        foreach (var barPlot in plot.GetPlottables().OfType<ScottPlot.Plottables.BarPlot>())
        {
            barPlot.ValueLabelStyle.FontName = FontFamily;
        }

        var png = plot.GetImageBytes(Width, height, ImageFormat.Png);
        return new ChartImage(title, alt, png, Width, height, header, rows, bars?.Invoke() ?? [])
        {
            CategoryLabels = plot.Axes.Left.TickGenerator.Ticks.OrderByDescending(t => t.Position).Select(t => t.Label).ToList(),
        };
    }

    /// <summary>The bars as the plot holds them after drawing; a bar's position names its category (the first
    /// category is drawn at the top).</summary>
    private static Func<IReadOnlyList<PlottedBar>> Plotted(ScottPlot.Plottables.BarPlot plotted, IReadOnlyList<string> categories) =>
        Plotted(plotted.Bars, categories);

    private static Func<IReadOnlyList<PlottedBar>> Plotted(IReadOnlyList<Bar> plotted, IReadOnlyList<string> categories) => () =>
        plotted.Select(b => new PlottedBar(categories[categories.Count - 1 - (int)Math.Round(b.Position)], b.Value - b.ValueBase, b.Label))
            .ToList();

    /// <summary>The same words as the report page and the tables ("43%").</summary>
    internal static string Percent(double? rate) => rate is { } r ? Proposals.Percent(r) : "no figure";
}
