using AuditTool.Documents.Word;
using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Templates;
using AuditTool.Domain.Audits;
using AuditTool.Tests.Support;
using DocumentFormat.OpenXml.Packaging;
using W = DocumentFormat.OpenXml.Wordprocessing;
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

    private const string LongQuestion =
        "Did the plan name who would do what, by when, and how the child's own views and wishes would be sought and recorded at every review?";

    private static readonly ScaleOption[] Send =
    [
        new("none", "None", 0, Polarity.Neutral),
        new("sen-support", "SEN support", 0, Polarity.Neutral),
        new("ehcp", "Education, Health and Care Plan (EHCP)", 0, Polarity.Neutral),
        new("assessment", "EHC needs assessment requested", 0, Polarity.Neutral),
    ];

    /// <summary>A report made by hand: two ofsted4 questions (one with 133 characters of words, one all
    /// "Outstanding"), SEND status (a descriptive single choice: 6, 5, 3 and 2 of 16), an agency at 100%, and the
    /// audit's own thresholds (75% and 50%, not the defaults).</summary>
    internal static ReportView BoardReport()
    {
        var ofsted = BuiltInScales.All["ofsted4"];
        QuestionFigures Graded(string key, string text, params int[] counts) =>
            new(key, "s", text, [], 1, QuestionType.Scale, counts.Sum(), counts[0] + counts[1], 0, (double)(counts[0] + counts[1]) / counts.Sum(),
                ofsted.Select((o, i) => new OptionFigure(o.Value, o.Label, counts[i], (double)counts[i] / counts.Sum())).ToList(), Classification.Mixed);
        int[] send = [6, 5, 3, 2];
        var sendFigures = new QuestionFigures("send-status", "s", "What was the child's SEND support status during the audit period?", [], 1,
            QuestionType.Choice, 16, 0, 0, 0,
            Send.Select((o, i) => new OptionFigure(o.Value, o.Label, send[i], send[i] / 16.0)).ToList(), Classification.Mixed);
        return new ReportView(1, "Board report", "deep-dive", "published", "", "", null, DateTimeOffset.UnixEpoch, 16, 16, 16, 0.6,
            new AgreementFigures(0, 0, null, 0, null), [], [], [],
            [QuestionCharts.For(Graded("plan", LongQuestion, 2, 3, 3, 2), ofsted), QuestionCharts.For(Graded("seen", "Was the child seen alone?", 10, 0, 0, 0), ofsted),
                QuestionCharts.For(sendFigures, Send)],
            [new RateBar("Cleveland Police", 1.0, "10 of 10 returns submitted")], [], null, [], [], [])
        {
            Thresholds = new Thresholds(Strength: 0.75, Development: 0.5),
        };
    }

    [Fact]
    public void WordChart_OfGradedQuestions_HasTheirFullWords_TheTablesFigures_AndTheAuditsThresholdsAsLabelledLines()
    {
        var charts = ReportChartImages.For(BoardReport());
        var graded = charts.Single(c => c.Title.StartsWith("Share of each answer (Outstanding", StringComparison.Ordinal));

        // The labels down the left, read back from the plot: every word of each question, wrapped, none cut.
        Assert.Equal([LongQuestion, "Was the child seen alone?"], graded.CategoryLabels.Select(l => l.Replace("\n", " ")));
        Assert.True(graded.CategoryLabels[0].Count(c => c == '\n') >= 3, graded.CategoryLabels[0]);
        Assert.DoesNotContain(graded.CategoryLabels, l => l.Contains('…'));
        // Each part's length and the figure written on it are the table's, in the scale's order.
        Assert.Equal(["Question", "Outstanding", "Good", "Requires improvement", "Inadequate", "Counted"], graded.Header);
        var parts = graded.Bars.Chunk(4).ToList();
        for (var q = 0; q < graded.Rows.Count; q++)
        {
            Assert.All(parts[q], b => Assert.Equal(graded.Rows[q][0], b.Category));
            Assert.Equal(graded.Rows[q][1..^1], parts[q].Select(b => Proposals.Percent(b.Percent / 100)));
            Assert.Equal(graded.Rows[q][1..^1].Select(p => p == "0%" ? "" : p), parts[q].Select(b => b.Label));
        }

        Assert.Equal(["100%", "", "", ""], parts[1].Select(b => b.Label));
        // The audit's own thresholds, drawn where they are and named.
        Assert.Equal([new PlottedLine("Strength 75%", 75), new PlottedLine("Development 50%", 50)], graded.Lines);
        // A descriptive question has no threshold to meet: no line.
        Assert.Empty(charts.Single(c => c.Title.StartsWith("Share of each answer (None", StringComparison.Ordinal)).Lines);
        // The words of the image in the body's sans-serif font (Arial, or Liberation Sans with the same metrics).
        Assert.Contains(graded.FontFamily, new[] { "Arial", "Liberation Sans" });
        using var typeface = SkiaSharp.SKTypeface.FromFamilyName(graded.FontFamily);
        Assert.Equal(graded.FontFamily, typeface.FamilyName);
    }

    [Fact]
    public void WordChart_OfADescriptiveQuestion_IsOneNeutralHueInDistinctLightness_NeverTheNegativeRed_ReadFromItsPixels()
    {
        var chart = ReportChartImages.For(BoardReport()).Single(c => c.Title.StartsWith("Share of each answer (None", StringComparison.Ordinal));
        using var bitmap = SkiaSharp.SKBitmap.Decode(chart.Png);
        var counts = new Dictionary<SkiaSharp.SKColor, int>();
        var reddish = 0;
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                counts[c] = counts.GetValueOrDefault(c) + 1;
                if (c.Red - Math.Max(c.Green, c.Blue) > 40)
                {
                    reddish++;
                }
            }
        }

        // The bars' colours: the big solid areas of colour that are not white, grey or black.
        var fills = counts.Where(kv => kv.Value > 2000 && Math.Max(kv.Key.Red, Math.Max(kv.Key.Green, kv.Key.Blue)) - Math.Min(kv.Key.Red, Math.Min(kv.Key.Green, kv.Key.Blue)) > 12)
            .Select(kv => $"#{kv.Key.Red:x2}{kv.Key.Green:x2}{kv.Key.Blue:x2}").ToList();
        Assert.True(reddish == 0, $"{reddish} reddish pixels in a chart of SEND status");
        Assert.Equal(4, fills.Count);
        var luminance = fills.Select(ChartColours.Luminance).Order().ToList();
        for (var i = 1; i < luminance.Count; i++)
        {
            Assert.True(luminance[i] - luminance[i - 1] >= 0.04, $"two options close in greyscale: {string.Join(", ", luminance.Select(l => l.ToString("0.000")))}");
        }

        Assert.All(fills, f => Assert.True(ChartColours.Contrast(f, "#ffffff") >= 3, $"{f} against white: {ChartColours.Contrast(f, "#ffffff"):0.00}"));
        // In the options' own order, darkest first, and the same colours as the report page.
        var figure = BoardReport().QuestionFigures.Single(f => f.Options[0].Label == "None");
        Assert.Equal(Send.Select(o => o.Label), figure.Options.Select(o => o.Label));
        Assert.Equal(figure.Options.Select(o => o.Colour).Order(), fills.Order());
    }

    [Fact]
    public async Task WordReport_ChartsAsWideAsTheText_NoFigureCutAtTheRight_AndTableHeadersBreakOnlyBetweenWords_AsLibreOfficeLaysThemOut()
    {
        var report = BoardReport();
        var folder = Directory.CreateTempSubdirectory("audittool-word-").FullName;
        var file = Path.Combine(folder, "report.docx");
        await using (var stream = File.Create(file))
        {
            await new WordReportWriter().WriteAsync(report, stream);
        }

        using (var document = WordprocessingDocument.Open(file, false))
        {
            var body = document.MainDocumentPart!.Document.Body!;
            var section = body.Elements<W.SectionProperties>().Single();
            var textWidthPx = (section.GetFirstChild<W.PageSize>()!.Width!.Value - section.GetFirstChild<W.PageMargin>()!.Left!.Value
                - (int)section.GetFirstChild<W.PageMargin>()!.Right!.Value) * 96.0 / 1440;
            // Every chart as wide as the page's text, no wider, and none narrower by more than a pixel or two.
            foreach (var extent in body.Descendants<DW.Extent>())
            {
                Assert.InRange(extent.Cx!.Value / (double)EmusPerPixel, textWidthPx - 2, textWidthPx);
            }

            // A bar at 100%: the figure at its end and the axis's "100%" have room before the image's right edge.
            foreach (var part in document.MainDocumentPart.ImageParts)
            {
                using var png = new MemoryStream();
                using (var data = part.GetStream())
                {
                    data.CopyTo(png);
                }

                using var bitmap = SkiaSharp.SKBitmap.Decode(png.ToArray());
                var rightmost = Enumerable.Range(0, bitmap.Width).Reverse()
                    .First(x => Enumerable.Range(0, bitmap.Height).Any(y => bitmap.GetPixel(x, y) is var c && (c.Red < 200 || c.Green < 200 || c.Blue < 200)));
                Assert.True(bitmap.Width - 1 - rightmost >= 8, $"{part.Uri}: drawn up to {bitmap.Width - 1 - rightmost} px from the right edge");
            }
        }

        // LibreOffice lays the tables out (the rest of the document taken away) and prints them as PDF: each laid-out
        // line of a cell is a piece of text of its own, so a word broken across two lines shows as two pieces.
        var lines = LaidOutTableLines(file, folder);
        foreach (var word in new[] { "Outstanding", "Good", "Requires", "improvement", "Inadequate", "Counted", "Education,", "assessment", "requested" })
        {
            Assert.True(lines.Any(l => l.Split(' ').Contains(word)), $"“{word}” is not whole on any line of the laid-out tables: {string.Join(" | ", lines)}");
        }

        Assert.DoesNotContain(lines, l => l is "Outstan" or "ding" or "Require" or "s" or "improve" or "ment" or "Counte" or "d");
    }

    /// <summary>The lines of text LibreOffice lays out for the document's tables, each as drawn (a word broken across
    /// two lines shows as two pieces).</summary>
    private static List<string> LaidOutTableLines(string file, string folder)
    {
        var tablesOnly = Path.Combine(folder, "tables.docx");
        File.Copy(file, tablesOnly);
        using (var document = WordprocessingDocument.Open(tablesOnly, true))
        {
            var body = document.MainDocumentPart!.Document.Body!;
            foreach (var element in body.ChildElements.Where(e => e is not W.Table and not W.SectionProperties).ToList())
            {
                element.Remove();
            }

            document.MainDocumentPart.Document.Save();
        }

        return PdfTextLines(File.ReadAllBytes(LibreOffice.Convert(tablesOnly, "pdf")));
    }

    /// <summary>
    /// The pieces of text of a PDF as LibreOffice writes them: each text object (BT ... ET) is one laid-out line of a
    /// paragraph or cell, its glyph codes read through its font's ToUnicode map. Enough for LibreOffice's own output;
    /// not a general PDF reader.
    /// </summary>
    internal static List<string> PdfTextLines(byte[] pdf)
    {
        var text = System.Text.Encoding.Latin1.GetString(pdf);
        var objects = System.Text.RegularExpressions.Regex.Matches(text, @"(\d+) 0 obj(.*?)endobj", System.Text.RegularExpressions.RegexOptions.Singleline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        string Stream(string obj)
        {
            var start = obj.IndexOf("stream", StringComparison.Ordinal);
            if (start < 0)
            {
                return "";
            }

            start += obj[start + 6] == '\r' ? 8 : 7;
            var end = obj.LastIndexOf("endstream", StringComparison.Ordinal);
            var bytes = System.Text.Encoding.Latin1.GetBytes(obj[start..end]);
            if (!obj[..start].Contains("/FlateDecode", StringComparison.Ordinal))
            {
                return obj[start..end];
            }

            using var inflated = new MemoryStream();
            try
            {
                using var z = new System.IO.Compression.ZLibStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress);
                z.CopyTo(inflated);
            }
            catch (InvalidDataException)
            {
                // A trailing newline before endstream: what was inflated is the stream.
            }

            return System.Text.Encoding.Latin1.GetString(inflated.ToArray());
        }

        var maps = new Dictionary<string, Dictionary<string, string>>();
        foreach (System.Text.RegularExpressions.Match font in System.Text.RegularExpressions.Regex.Matches(text, @"/(F\d+) (\d+) 0 R"))
        {
            var map = new Dictionary<string, string>();
            if (objects.TryGetValue(font.Groups[2].Value, out var fontObj)
                && System.Text.RegularExpressions.Regex.Match(fontObj, @"/ToUnicode (\d+) 0 R") is { Success: true } cmapRef)
            {
                var cmap = Stream(objects[cmapRef.Groups[1].Value]);
                foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(cmap, @"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>"))
                {
                    map[m.Groups[1].Value.ToUpperInvariant()] = string.Concat(m.Groups[2].Value.Chunk(4).Select(c => (char)Convert.ToInt32(new string(c), 16)));
                }
            }

            maps[font.Groups[1].Value] = map;
        }

        var lines = new List<string>();
        foreach (var obj in objects.Values.Where(o => o.Contains("stream", StringComparison.Ordinal)))
        {
            var content = Stream(obj);
            foreach (System.Text.RegularExpressions.Match bt in System.Text.RegularExpressions.Regex.Matches(content, @"BT\s(.*?)\sET", System.Text.RegularExpressions.RegexOptions.Singleline))
            {
                var fontName = System.Text.RegularExpressions.Regex.Match(bt.Groups[1].Value, @"/(F\d+) [\d.]+ Tf");
                if (!fontName.Success || !maps.TryGetValue(fontName.Groups[1].Value, out var map))
                {
                    continue;
                }

                var codes = System.Text.RegularExpressions.Regex.Matches(bt.Groups[1].Value, @"<([0-9A-Fa-f]+)>").SelectMany(m => m.Groups[1].Value.Chunk(2));
                lines.Add(string.Concat(codes.Select(c => map.GetValueOrDefault(new string(c).ToUpperInvariant(), "?"))).Trim());
            }
        }

        return lines.Where(l => l.Length > 0).ToList();
    }
}
