using AuditTool.Domain.Findings;
using ScottPlot;

namespace AuditTool.Data.Reports;

/// <summary>
/// A chart of the report as a PNG, with the words that describe it to someone who cannot see it (alt text), and the
/// same figures as a table.
/// </summary>
public sealed record ChartImage(string Title, string AltText, byte[] Png, int WidthPx, int HeightPx,
    IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows);

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

    public static IReadOnlyList<ChartImage> For(ReportView report)
    {
        var charts = new List<ChartImage>();
        foreach (var group in report.Questions.Where(q => q.Shares.Count > 0 && q.Counted > 0)
                     .GroupBy(q => string.Join("|", q.Shares.Select(s => s.Label))).Select(g => g.ToList()))
        {
            charts.Add(Shares(group));
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

    private static ChartImage Shares(IReadOnlyList<QuestionChart> questions)
    {
        var options = questions[0].Shares;
        var title = $"Share of each answer ({string.Join(", ", options.Select(o => o.Label))})";
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
                });
                start += value;
            }
        }

        plot.Add.Bars(bars);
        foreach (var option in options)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = option.Label, FillColor = Color.FromHex(option.Colour) });
        }

        plot.ShowLegend(Edge.Bottom);
        Categories(plot, questions.Select(q => Short(q.Text)).ToList());
        var alt = $"{title}, as a stacked bar per question. " + string.Join(" ", questions.Select(q =>
            $"{q.Text}: {string.Join(", ", q.Shares.Select(s => $"{s.Label} {Percent(s.Share)}"))} ({q.Counted} counted)."));
        return Save(plot, title, alt, 200 + 64 * questions.Count,
            ["Question", .. options.Select(o => o.Label), "Counted"],
            questions.Select(q => (string[])[q.Text, .. q.Shares.Select(s => Percent(s.Share)), q.Counted.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ToList());
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
        }).ToList();
        plot.Add.Bars(bars);
        Categories(plot, rows.Select(r => Short(r.Label)).ToList());
        var alt = $"{title}, as horizontal bars from 0 to 100%. " + string.Join(" ", rows.Select(r => $"{r.Label}: {Percent(r.Rate)}."));
        return Save(plot, title, alt, 160 + 56 * rows.Count, ["Name", "Positive", "Detail"],
            rows.Select(r => new[] { r.Label, Percent(r.Rate), r.Detail }).ToList());
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

    private static void Categories(Plot plot, IReadOnlyList<string> labels)
    {
        plot.Axes.Left.SetTicks(labels.Select((_, i) => (double)(labels.Count - 1 - i)).ToArray(), labels.ToArray());
        PercentAxis(plot);
        plot.Axes.SetLimitsY(-0.6, labels.Count - 0.4);
    }

    private static void PercentAxis(Plot plot)
    {
        plot.Axes.Bottom.SetTicks(PercentTicks, PercentLabels);
        plot.Axes.SetLimitsX(0, 100);
    }

    private static ChartImage Save(Plot plot, string title, string alt, int height, IReadOnlyList<string> header, IReadOnlyList<string[]> rows)
    {
        plot.Axes.Left.TickLabelStyle.FontSize = FontSize;
        plot.Axes.Bottom.TickLabelStyle.FontSize = FontSize;
        plot.Legend.FontSize = FontSize;
        var png = plot.GetImageBytes(Width, height, ImageFormat.Png);
        return new ChartImage(title, alt, png, Width, height, header, rows);
    }

    private static string Short(string text) => text.Length <= 44 ? text : text[..43] + "…";

    internal static string Percent(double? rate) => rate is { } r ? $"{Math.Round(r * 100):0}%" : "no figure";
}
