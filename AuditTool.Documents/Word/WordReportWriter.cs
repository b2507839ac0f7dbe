using System.Globalization;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Findings;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using A = DocumentFormat.OpenXml.Drawing;
using DW = DocumentFormat.OpenXml.Drawing.Wordprocessing;
using PIC = DocumentFormat.OpenXml.Drawing.Pictures;

namespace AuditTool.Documents.Word;

/// <summary>
/// The report as a Word document (Open XML SDK), for board papers: title and purpose, headline figures, the areas of
/// strength and for development with their linked questions' rates and curated quotes, the charts as images with alt
/// text (each followed by its figures as a table), and the actions. It is written from <see cref="ReportView"/>, which
/// carries aggregates only: no case reference, answer or evidence can reach it.
/// </summary>
public sealed class WordReportWriter : IReportDocumentWriter
{
    private const long EmusPerPixel = 9525;
    // The page: A4 with 2.5 cm margins, in twentieths of a point; the text is as wide as the page less its margins.
    private const int PageWidthTwips = 11906;
    private const int MarginTwips = 1418;
    internal const int TextWidthTwips = PageWidthTwips - 2 * MarginTwips;

    // Cell padding left and right in a table (Word's default, 0.19 cm each side), and the header sizes to try.
    private const int CellPaddingTwips = 2 * 108;
    private static readonly int[] HeaderHalfPoints = [22, 20, 18, 16];

    /// <summary>A chart is drawn as wide as the text: twips at 96 pixels per inch.</summary>
    internal const int TextWidthPx = TextWidthTwips * 96 / 1440;
    private const int TextHeightPx = 880; // the same page's height, less room for the chart's heading

    public Task WriteAsync(ReportView report, Stream output, CancellationToken cancellationToken = default)
    {
        // The SDK packages the document in memory; a report is small (a few charts), so it is built whole, then copied.
        using var buffer = new MemoryStream();
        using (var document = WordprocessingDocument.Create(buffer, WordprocessingDocumentType.Document))
        {
            document.PackageProperties.Title = report.Title;
            document.PackageProperties.Subject = "Audit report";
            document.PackageProperties.Creator = "AuditTool";
            var main = document.AddMainDocumentPart();
            var styles = main.AddNewPart<StyleDefinitionsPart>();
            styles.Styles = Styles();
            var body = new Body();
            main.Document = new Document(body);
            Write(report, main, body);
            body.Append(new SectionProperties(
                new PageSize { Width = PageWidthTwips, Height = 16838 },
                new PageMargin { Top = 1418, Bottom = 1418, Left = MarginTwips, Right = MarginTwips, Header = 708, Footer = 708, Gutter = 0 }));
            main.Document.Save();
        }

        buffer.Position = 0;
        return buffer.CopyToAsync(output, cancellationToken);
    }

    private static void Write(ReportView r, MainDocumentPart main, Body body)
    {
        body.Append(Para(r.Title, "Title"));
        body.Append(Para($"{AuditKinds.Label(r.Kind)}" +
            (r.PublishedUtc is { } published ? $" · published {published.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"))}" : "") +
            (r.BaselineTitle is { } baseline ? $" · follow-up of “{baseline}”" : ""), "Subtitle"));
        body.Append(Para("Aggregated figures only: this report holds no case reference, answer or evidence note.", "Note"));

        body.Append(Para("About this audit", "Heading1"));
        body.Append(Labelled("Purpose", r.Purpose));
        body.Append(Labelled("Sample criteria", r.SampleCriteria));
        if (r.SampleDraw is not null)
        {
            body.Append(Labelled("Filter used for the draw", r.SampleDraw));
        }

        body.Append(Para("Headline figures", "Heading1"));
        body.Append(Table(["Figure", "Value"],
        [
            ["Cases audited", r.Cases.ToString(CultureInfo.InvariantCulture)],
            ["Agency returns submitted", $"{r.SubmittedReturns} of {r.Returns}"],
            ["Judgements that were positive", Percent(r.OverallRate)],
            ["Agency grades agreeing with moderation", $"{Percent(r.Agreement.Agreement)} of {r.Agreement.Pairs}"],
            ["Mean difference from moderation (agency minus moderated, in grade points)",
                r.Agreement.MeanSignedDifference is { } d ? d.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) : "–"],
            ["Cases escalated (a safeguarding concern raised)", r.Concerns.CasesEscalated.ToString(CultureInfo.InvariantCulture)],
            ["Escalated cases closed with an action recorded", r.Concerns.CasesClosedWithAction.ToString(CultureInfo.InvariantCulture)],
        ]));

        Findings(body, "Areas of strength", r.Strengths);
        Findings(body, "Areas for development", r.Developments);

        body.Append(Para("Charts", "Heading1"));
        var charts = ReportChartImages.For(r);
        if (charts.Count == 0)
        {
            body.Append(Para("No figures to chart yet.", null));
        }

        var id = 1U;
        foreach (var chart in charts)
        {
            body.Append(Para(chart.Title, "Heading2"));
            if (chart.Note is not null)
            {
                var note = Para(chart.Note, "Caption");
                note.ParagraphProperties!.Append(new KeepNext());
                body.Append(note);
            }

            body.Append(Image(main, chart, id++));
            body.Append(Para("The same figures:", "Caption"));
            body.Append(Table(chart.Header, chart.Rows));
        }

        body.Append(Para("Actions", "Heading1"));
        Actions(body, r.Actions);
        if (r.BaselineOpenActions.Count > 0)
        {
            body.Append(Para($"Open actions from the baseline audit{(r.BaselineTitle is null ? "" : $" ({r.BaselineTitle})")}", "Heading2"));
            Actions(body, r.BaselineOpenActions);
        }
    }

    private static void Findings(Body body, string heading, IReadOnlyList<ReportFinding> findings)
    {
        body.Append(Para(heading, "Heading1"));
        if (findings.Count == 0)
        {
            body.Append(Para("None recorded.", null));
            return;
        }

        foreach (var f in findings)
        {
            body.Append(Para(f.Title, "Heading2"));
            foreach (var paragraph in f.Narrative.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                body.Append(Para(paragraph, null));
            }

            if (f.Evidence.Count > 0)
            {
                body.Append(Para("Linked questions", "Heading3"));
                foreach (var (question, rate) in f.Evidence)
                {
                    body.Append(Para($"{question}: {Percent(rate)} positive", "ListBullet"));
                }
            }

            if (f.Quotes.Count > 0)
            {
                body.Append(Para("From the returns (the scrutineer's selection, edited so no one can be identified)", "Heading3"));
                foreach (var quote in f.Quotes)
                {
                    body.Append(Para($"“{quote}”", "Quote"));
                }
            }

            if (f.Themes.Count > 0)
            {
                body.Append(Para($"Themes: {string.Join(", ", f.Themes)}", "Note"));
            }
        }
    }

    private static void Actions(Body body, IReadOnlyList<ReportAction> actions)
    {
        if (actions.Count == 0)
        {
            body.Append(Para("None recorded.", null));
            return;
        }

        body.Append(Table(["Action", "Owner agency", "Due", "Status", "Finding"], actions.Select(a => new[]
        {
            a.Description,
            a.Owner ?? "–",
            a.Due?.ToString("d MMM yyyy", CultureInfo.GetCultureInfo("en-GB")) ?? "–",
            ActionStatuses.Label(a.Status) + (a.IsOverdue ? " (overdue)" : ""),
            a.Finding ?? "–",
        }).ToList()));
    }

    private static Paragraph Labelled(string label, string text) =>
        new(new Run(new RunProperties(new Bold()), new Text(label + ": ") { Space = SpaceProcessingModeValues.Preserve }),
            new Run(new Text(string.IsNullOrWhiteSpace(text) ? "–" : text) { Space = SpaceProcessingModeValues.Preserve }));

    private static Paragraph Para(string text, string? style)
    {
        var paragraph = new Paragraph();
        if (style is not null)
        {
            paragraph.Append(new ParagraphProperties(new ParagraphStyleId { Val = style }));
        }

        paragraph.Append(new Run(new Text(Clean(text)) { Space = SpaceProcessingModeValues.Preserve }));
        return paragraph;
    }

    private static Table Table(IReadOnlyList<string> header, IReadOnlyList<string[]> rows)
    {
        var border = new TableBorders(
            new TopBorder { Val = BorderValues.Single, Size = 4, Color = "808080" },
            new BottomBorder { Val = BorderValues.Single, Size = 4, Color = "808080" },
            new LeftBorder { Val = BorderValues.Single, Size = 4, Color = "808080" },
            new RightBorder { Val = BorderValues.Single, Size = 4, Color = "808080" },
            new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4, Color = "808080" },
            new InsideVerticalBorder { Val = BorderValues.Single, Size = 4, Color = "808080" });
        var widths = ColumnWidths(header, rows, out var headerSize);
        var table = new Table(new TableProperties(
            new TableWidth { Width = $"{TextWidthTwips}", Type = TableWidthUnitValues.Dxa },
            border,
            new TableLayout { Type = TableLayoutValues.Fixed },
            new TableLook { FirstRow = true }));
        table.Append(new TableGrid(widths.Select(w => new GridColumn { Width = $"{w}" })));
        // The header row repeats on every page and is announced as a header by screen readers.
        table.Append(new TableRow([new TableRowProperties(new TableHeader(), new CantSplit()),
            .. header.Select((h, i) => Cell(h, bold: true, widths[i], headerSize))]));
        foreach (var row in rows)
        {
            table.Append(new TableRow([new TableRowProperties(new CantSplit()), .. row.Select((c, i) => Cell(c, bold: false, widths[i], null))]));
        }

        return table;
    }

    /// <summary>
    /// The columns' widths, in twips: the first column holds the words (a question, an action) and gets the room; each
    /// other column is at least as wide as its longest word (measured in the body font, the header's in bold), so a
    /// header breaks between words ("Requires / improvement"), never inside one ("Require s"). When the figures'
    /// columns would leave the first too little, the header's font steps down (11, 10, 9, 8 pt).
    /// </summary>
    internal static int[] ColumnWidths(IReadOnlyList<string> header, IReadOnlyList<string[]> rows, out int headerHalfPoints)
    {
        headerHalfPoints = HeaderHalfPoints[0];
        if (header.Count == 1)
        {
            return [TextWidthTwips];
        }

        var share = header.Count > 3 ? 0.4 : 0.5;
        var first = (int)(TextWidthTwips * share);
        var even = (TextWidthTwips - first) / (header.Count - 1);
        var minimumFirst = (int)(TextWidthTwips * 0.28);
        int[] needed = [];
        foreach (var size in HeaderHalfPoints)
        {
            headerHalfPoints = size;
            needed = Enumerable.Range(1, header.Count - 1).Select(i => Math.Max(
                    LongestWordTwips(header[i], bold: true, size / 2.0),
                    rows.Select(r => i < r.Length ? LongestWordTwips(r[i], bold: false, 11) : 0).DefaultIfEmpty(0).Max()) + CellPaddingTwips)
                .ToArray();
            if (needed.Sum() <= TextWidthTwips - minimumFirst)
            {
                break;
            }
        }

        // Room to spare: the figures share their part evenly, as before; otherwise each its longest word.
        var others = needed.All(n => n <= even) ? needed.Select(_ => even).ToArray() : needed;

        return [Math.Max(minimumFirst, TextWidthTwips - others.Sum()), .. others];
    }

    /// <summary>The width of the longest word of <paramref name="text"/> at a size in points, in twips, measured in the
    /// body font (Arial, or its metric twin Liberation Sans), with a tenth to spare for the renderer's rounding.</summary>
    private static int LongestWordTwips(string text, bool bold, double points)
    {
        var words = text.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return 0;
        }

        using var typeface = SkiaSharp.SKTypeface.FromFamilyName(ReportChartImages.FontFamily,
            bold ? SkiaSharp.SKFontStyle.Bold : SkiaSharp.SKFontStyle.Normal);
        using var font = new SkiaSharp.SKFont(typeface, (float)points);
        var widest = words.Max(w => font.MeasureText(w));
        return (int)Math.Ceiling(widest * 20 * 1.1);
    }

    private static TableCell Cell(string text, bool bold, int widthTwips, int? halfPoints)
    {
        var run = bold ? new RunProperties(new Bold()) : new RunProperties();
        if (halfPoints is { } size)
        {
            run.Append(new FontSize { Val = $"{size}" });
        }

        return new TableCell(new TableCellProperties(new TableCellWidth { Width = $"{widthTwips}", Type = TableWidthUnitValues.Dxa }),
            new Paragraph(new Run(run, new Text(Clean(text)) { Space = SpaceProcessingModeValues.Preserve })));
    }

    private static Paragraph Image(MainDocumentPart main, ChartImage chart, uint id)
    {
        var part = main.AddImagePart(ImagePartType.Png);
        using (var png = new MemoryStream(chart.Png))
        {
            part.FeedData(png);
        }

        // As wide as the text, or less so that a tall chart (many options) still fits on one page whole.
        var scale = Math.Min(1.0, Math.Min((double)TextWidthPx / chart.WidthPx, (double)TextHeightPx / chart.HeightPx));
        var cx = (long)(chart.WidthPx * scale * EmusPerPixel);
        var cy = (long)(chart.HeightPx * scale * EmusPerPixel);
        var name = $"Chart {id}";
        var inline = new DW.Inline(
            new DW.Extent { Cx = cx, Cy = cy },
            new DW.EffectExtent { LeftEdge = 0, TopEdge = 0, RightEdge = 0, BottomEdge = 0 },
            // The alt text: what the chart shows, in words (WCAG 1.1.1).
            new DW.DocProperties { Id = id, Name = name, Title = chart.Title, Description = chart.AltText },
            new DW.NonVisualGraphicFrameDrawingProperties(new A.GraphicFrameLocks { NoChangeAspect = true }),
            new A.Graphic(new A.GraphicData(
                new PIC.Picture(
                    new PIC.NonVisualPictureProperties(
                        new PIC.NonVisualDrawingProperties { Id = id, Name = name, Description = chart.AltText },
                        new PIC.NonVisualPictureDrawingProperties()),
                    new PIC.BlipFill(new A.Blip { Embed = main.GetIdOfPart(part) }, new A.Stretch(new A.FillRectangle())),
                    new PIC.ShapeProperties(
                        new A.Transform2D(new A.Offset { X = 0, Y = 0 }, new A.Extents { Cx = cx, Cy = cy }),
                        new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle })))
            { Uri = "http://schemas.openxmlformats.org/drawingml/2006/picture" }))
        {
            DistanceFromTop = 0,
            DistanceFromBottom = 0,
            DistanceFromLeft = 0,
            DistanceFromRight = 0,
        };
        return new Paragraph(new ParagraphProperties(new KeepNext()), new Run(new Drawing(inline)));
    }

    private static Styles Styles()
    {
        Style ParagraphStyle(string id, string name, int halfPoints, bool bold = false, bool italic = false, int? outline = null,
            string? colour = null, int spaceBefore = 0, int spaceAfter = 120, bool keepNext = false, int indent = 0)
        {
            var paragraph = new StyleParagraphProperties(new SpacingBetweenLines { Before = $"{spaceBefore}", After = $"{spaceAfter}" });
            if (keepNext)
            {
                paragraph.Append(new KeepNext());
            }

            if (indent > 0)
            {
                paragraph.Append(new Indentation { Left = $"{indent}" });
            }

            if (outline is { } level)
            {
                paragraph.Append(new OutlineLevel { Val = level });
            }

            var run = new StyleRunProperties(new FontSize { Val = $"{halfPoints}" });
            if (bold)
            {
                run.Append(new Bold());
            }

            if (italic)
            {
                run.Append(new Italic());
            }

            if (colour is not null)
            {
                run.Append(new Color { Val = colour });
            }

            return new Style(new StyleName { Val = name }, new BasedOn { Val = "Normal" }, new PrimaryStyle(), paragraph, run)
            {
                Type = StyleValues.Paragraph,
                StyleId = id,
            };
        }

        return new Styles(
            new DocDefaults(
                new RunPropertiesDefault(new RunPropertiesBaseStyle(
                    new RunFonts { Ascii = "Arial", HighAnsi = "Arial", ComplexScript = "Arial" },
                    new FontSize { Val = "22" },
                    new Languages { Val = "en-GB" })),
                new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(new SpacingBetweenLines { After = "120", Line = "276", LineRule = LineSpacingRuleValues.Auto }))),
            new Style(new StyleName { Val = "Normal" }, new PrimaryStyle()) { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true },
            ParagraphStyle("Title", "Title", 40, bold: true, spaceAfter: 60, colour: "1D4F91"),
            ParagraphStyle("Subtitle", "Subtitle", 24, colour: "404040"),
            ParagraphStyle("Heading1", "heading 1", 32, bold: true, outline: 0, colour: "1D4F91", spaceBefore: 360, keepNext: true),
            ParagraphStyle("Heading2", "heading 2", 26, bold: true, outline: 1, spaceBefore: 240, keepNext: true),
            ParagraphStyle("Heading3", "heading 3", 22, bold: true, outline: 2, spaceBefore: 120, keepNext: true),
            ParagraphStyle("Quote", "Quote", 22, italic: true, indent: 567),
            ParagraphStyle("ListBullet", "List Bullet", 22, indent: 360),
            ParagraphStyle("Caption", "caption", 18, colour: "404040"),
            ParagraphStyle("Note", "Note", 18, italic: true, colour: "404040"));
    }

    /// <summary>Characters XML 1.0 cannot carry are dropped.</summary>
    private static string Clean(string text) =>
        new(text.Where(c => c is '\t' or '\n' or '\r' || (c >= 0x20 && c != 0xFFFE && c != 0xFFFF)).ToArray());

    private static string Percent(double? rate) => ReportChartImages.Percent(rate);
}
