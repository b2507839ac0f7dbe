using AuditTool.Data.Reports;
using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Templates;
using DocumentFormat.OpenXml.Packaging;
using DW = DocumentFormat.OpenXml.Drawing.Wordprocessing;

namespace AuditTool.Tests.Data;

/// <summary>How the Word report lays out its charts, from a report made by hand (no database).</summary>
public class WordReportLayoutTests
{
    private const long EmusPerPixel = 9525;

    [Fact]
    public async Task ChartOfAQuestionWithManyOptions_GrowsWithThem_AndStillFitsWholeOnAPage()
    {
        var options = Enumerable.Range(1, 24)
            .Select(i => new ScaleOption($"o{i}", $"Action number {i} taken with the family and partners", 1, i == 24 ? Polarity.Negative : Polarity.Positive))
            .ToList();
        var figures = new QuestionFigures("actions", "s", "What was done?", [], 1, QuestionType.MultiChoice, 40, 30, 0, 0.75,
            options.Select((o, i) => new OptionFigure(o.Value, o.Label, 10 + i, (10 + i) / 40.0)).ToList(), Classification.Mixed);
        var report = new ReportView(1, "Many options", "deep-dive", "published", "", "", null, DateTimeOffset.UnixEpoch, 40, 40, 40, 0.75,
            new AgreementFigures(0, 0, null, 0, null), [], [], [], [QuestionCharts.For(figures, options)], [], [], null, [], [], []);
        var few = report with { Questions = [QuestionCharts.For(figures with { Options = figures.Options.Take(3).ToList() }, options)] };

        var chart = ReportChartImages.For(report).Single();
        var small = ReportChartImages.For(few).Single();
        using var stream = new MemoryStream();
        await new WordReportWriter().WriteAsync(report, stream);
        stream.Position = 0;
        using var document = WordprocessingDocument.Open(stream, false);
        var extent = document.MainDocumentPart!.Document.Body!.Descendants<DW.Extent>().Single();

        Assert.Equal(24, chart.Bars.Count);
        Assert.True(chart.HeightPx >= 24 * 64 && chart.HeightPx > small.HeightPx * 5, $"{chart.HeightPx} px for 24 options, {small.HeightPx} px for 3");
        // A4 with 2.5 cm margins, at 96 dpi: about 620 by 930 pixels of text.
        Assert.True(extent.Cy!.Value <= 900 * EmusPerPixel, $"the chart is {extent.Cy.Value / EmusPerPixel} px tall on the page");
        Assert.True(extent.Cx!.Value <= 620 * EmusPerPixel, $"the chart is {extent.Cx.Value / EmusPerPixel} px wide on the page");
        // The image keeps its proportions when it is shrunk to fit.
        Assert.Equal((double)chart.WidthPx / chart.HeightPx, (double)extent.Cx.Value / extent.Cy.Value, 2);
    }
}
