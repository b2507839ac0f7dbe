using AuditTool.Domain.Findings;
using ScottPlot;

namespace AuditTool.Data.Reports;

/// <summary>
/// A chart of the report as a PNG, with the words that describe it to someone who cannot see it (alt text), and the
/// same figures as a table.
/// </summary>
/// <param name="Bars">What the image draws, read back from the plot after drawing: each bar's category (a question or
/// an option), its length in percent and the label written on it. Empty for the baseline charts.</param>
/// <param name="Note">How to read the chart, when a reader needs telling (a multichoice question's bars can add up to
/// more than 100%).</param>
public sealed record ChartImage(string Title, string AltText, byte[] Png, int WidthPx, int HeightPx,
    IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows, IReadOnlyList<PlottedBar> Bars, string? Note = null);

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

        var plotted = plot.Add.Bars(bars);
        plotted.ValueLabelStyle.FontSize = FontSize;
        plotted.ValueLabelStyle.Bold = true;
        plotted.ValueLabelStyle.ForeColor = Colors.White;
        foreach (var option in figure.Options)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = option.Label, FillColor = Color.FromHex(option.Colour) });
        }

        // One line per option: a legend never runs off the side of the image, however many options or long their words.
        plot.ShowLegend(Edge.Bottom);
        plot.Legend.Orientation = Orientation.Vertical;
        var rowPx = Categories(plot, questions.Select(q => q.Text).ToList());
        return Save(plot, figure.Title, figure.Description, 160 + rowPx * questions.Count + LegendLinePx * figure.Options.Count,
            figure.Header, figure.Rows, Plotted(plotted, questions.Select(q => q.Text).ToList()));
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
        plot.Axes.Left.SetTicks(rows.Select((_, i) => (double)(rows.Count - 1 - i) * 3).ToArray(), rows.Select(r => Short(r.Label)).ToArray());
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

    /// <summary>Words on lines of at most <see cref="LabelLineChars"/> characters, at most three lines (a longer
    /// question ends in "…" here; the table under the chart has every word).</summary>
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
        }

        lines.Add(line);
        if (lines.Count > 3)
        {
            lines = [lines[0], lines[1], Short(lines[2] + " " + string.Join(" ", lines.Skip(3)), LabelLineChars)];
        }

        return string.Join("\n", lines.Select(l => Short(l, LabelLineChars)));
    }

    private static void PercentAxis(Plot plot)
    {
        plot.Axes.Bottom.SetTicks(PercentTicks, PercentLabels);
        // Room on the right for half of the last tick's label ("100%"), which is centred on the edge.
        plot.Axes.Right.MinimumSize = 40;
        plot.Axes.SetLimitsX(0, 100);
    }

    private static ChartImage Save(Plot plot, string title, string alt, int height, IReadOnlyList<string> header, IReadOnlyList<string[]> rows,
        Func<IReadOnlyList<PlottedBar>>? bars = null)
    {
        plot.Axes.Left.TickLabelStyle.FontSize = FontSize;
        plot.Axes.Bottom.TickLabelStyle.FontSize = FontSize;
        plot.Legend.FontSize = FontSize;
        var png = plot.GetImageBytes(Width, height, ImageFormat.Png);
        return new ChartImage(title, alt, png, Width, height, header, rows, bars?.Invoke() ?? []);
    }

    /// <summary>The bars as the plot holds them after drawing; a bar's position names its category (the first
    /// category is drawn at the top).</summary>
    private static Func<IReadOnlyList<PlottedBar>> Plotted(ScottPlot.Plottables.BarPlot plotted, IReadOnlyList<string> categories) => () =>
        plotted.Bars.Select(b => new PlottedBar(categories[categories.Count - 1 - (int)Math.Round(b.Position)], b.Value - b.ValueBase, b.Label))
            .ToList();

    private static string Short(string text, int length = 44) => text.Length <= length ? text : text[..(length - 1)] + "…";

    /// <summary>The same words as the report page and the tables ("43%").</summary>
    internal static string Percent(double? rate) => rate is { } r ? Proposals.Percent(r) : "no figure";
}
