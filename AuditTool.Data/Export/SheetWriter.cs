using System.Globalization;
using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace AuditTool.Data.Export;

/// <summary>Cell styles of the workbook (indexes into cellXfs).</summary>
internal static class Styles
{
    public const uint Default = 0;
    public const uint Header = 1;
    public const uint Percent = 2;
    public const uint QuotedText = 3;
    public const uint Integer = 4;
    public const uint Decimal = 5;
    public const uint Date = 6;
    public const uint Bold = 7;

    public static Stylesheet Create() => new(
        new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "0.0%" }) { Count = 1 },
        new Fonts(new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
            new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" })) { Count = 2 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 },
        new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
        new CellFormats(
            new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0 },
            new CellFormat { NumberFormatId = 0, FontId = 1, FillId = 0, BorderId = 0, FormatId = 0, ApplyFont = true },
            new CellFormat { NumberFormatId = 164, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true },
            // quotePrefix: Excel and LibreOffice keep text that looks like a formula as the literal text it is.
            new CellFormat { NumberFormatId = 49, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, QuotePrefix = true, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 1, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 2, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 14, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 0, FontId = 1, FillId = 0, BorderId = 0, FormatId = 0, ApplyFont = true }) { Count = 8 },
        new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });
}

/// <summary>
/// Writes one worksheet with the Open XML SDK's OpenXmlWriter (SAX): row by row, straight into the package part, so
/// memory does not grow with the number of rows. Elements and attribute lists are reused; user text is always an
/// inline string, never a formula.
/// </summary>
internal sealed class SheetWriter : IDisposable
{
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r', '\n'];

    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    private readonly OpenXmlWriter _writer;
    private readonly int _columns;

    // The cells are written in the default namespace (<c>, not <x:c>): a million rows of prefixes are megabytes to
    // compress. The root declares that namespace; the SDK's typed elements above the sheet data keep their own prefix.
    private readonly OpenXmlElement _row = new OpenXmlUnknownElement(string.Empty, "row", Main);
    private readonly OpenXmlElement _cell = new OpenXmlUnknownElement(string.Empty, "c", Main);
    private readonly OpenXmlElement _inline = new OpenXmlUnknownElement(string.Empty, "is", Main);

    // OpenXmlWriter writes text only inside its typed leaf elements; those keep the x prefix, declared once on the root.
    private readonly CellValue _value = new();
    private readonly Text _text = new();
    private readonly List<OpenXmlAttribute> _rowAttributes = [new("r", string.Empty, string.Empty)];
    private readonly OpenXmlAttribute[] _inlineText = [new("t", string.Empty, "inlineStr")];
    private readonly OpenXmlAttribute[] _inlineQuoted = [new("t", string.Empty, "inlineStr"), new("s", string.Empty, Styles.QuotedText.ToString(CultureInfo.InvariantCulture))];
    private readonly OpenXmlAttribute[] _inlineHeader = [new("t", string.Empty, "inlineStr"), new("s", string.Empty, Styles.Header.ToString(CultureInfo.InvariantCulture))];
    private readonly OpenXmlAttribute[] _inlineBold = [new("t", string.Empty, "inlineStr"), new("s", string.Empty, Styles.Bold.ToString(CultureInfo.InvariantCulture))];
    private readonly OpenXmlAttribute[] _preserve = [new("xml", "space", "http://www.w3.org/XML/1998/namespace", "preserve")];
    private readonly Dictionary<uint, OpenXmlAttribute[]> _numberStyles = [];
    private uint _rowIndex;
    private bool _inRow;

    private readonly Stream _stream;

    public SheetWriter(Stream stream, IReadOnlyList<(string Title, double Width)> columns)
    {
        _columns = columns.Count;
        _stream = stream;
        _writer = OpenXmlWriter.Create(stream);
        try
        {
            Begin(columns);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private void Begin(IReadOnlyList<(string Title, double Width)> columns)
    {
        _writer.WriteStartElement(new OpenXmlUnknownElement(string.Empty, "worksheet", Main), [], [new KeyValuePair<string, string>("x", Main)]);
        _writer.WriteStartElement(new SheetViews());
        _writer.WriteStartElement(new SheetView { WorkbookViewId = 0 });
        _writer.WriteElement(new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen });
        _writer.WriteElement(new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } });
        _writer.WriteEndElement();
        _writer.WriteEndElement();
        _writer.WriteStartElement(new Columns());
        for (var i = 0; i < columns.Count; i++)
        {
            _writer.WriteElement(new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = columns[i].Width, CustomWidth = true });
        }

        _writer.WriteEndElement();
        _writer.WriteStartElement(new OpenXmlUnknownElement(string.Empty, "sheetData", Main));
        BeginRow();
        foreach (var (title, _) in columns)
        {
            InlineCell(title, false, _inlineHeader);
        }

        EndRow();
    }

    public uint Rows => _rowIndex;

    public void BeginRow()
    {
        if (_inRow)
        {
            EndRow();
        }

        _rowIndex++;
        _rowAttributes[0] = new OpenXmlAttribute("r", string.Empty, _rowIndex.ToString(CultureInfo.InvariantCulture));
        _writer.WriteStartElement(_row, _rowAttributes);
        _inRow = true;
    }

    public void EndRow()
    {
        if (_inRow)
        {
            _writer.WriteEndElement();
            _inRow = false;
        }
    }

    /// <summary>User or system text: an inline string; text that a spreadsheet might read as a formula is marked as literal text.</summary>
    public void Text(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            Empty();
            return;
        }

        var clean = Clean(text, out var preserve);
        InlineCell(clean, preserve, Array.IndexOf(FormulaStarts, clean.Length > 0 ? clean[0] : ' ') >= 0 ? _inlineQuoted : _inlineText);
    }

    public void BoldText(string text)
    {
        var clean = Clean(text, out var preserve);
        InlineCell(clean, preserve, _inlineBold);
    }

    public void Number(double? value, uint style = Styles.Default)
    {
        if (value is not { } v || !double.IsFinite(v))
        {
            Empty();
            return;
        }

        if (style == Styles.Default)
        {
            _writer.WriteStartElement(_cell);
        }
        else
        {
            if (!_numberStyles.TryGetValue(style, out var attributes))
            {
                attributes = [new OpenXmlAttribute("s", string.Empty, style.ToString(CultureInfo.InvariantCulture))];
                _numberStyles[style] = attributes;
            }

            _writer.WriteStartElement(_cell, attributes);
        }

        _writer.WriteStartElement(_value);
        _writer.WriteString(v.ToString("R", CultureInfo.InvariantCulture));
        _writer.WriteEndElement();
        _writer.WriteEndElement();
    }

    public void Percent(double? rate) => Number(rate, Styles.Percent);

    public void Integer(long? value) => Number(value, Styles.Integer);

    public void Date(DateOnly? date) => Number(date?.ToDateTime(TimeOnly.MinValue).ToOADate(), Styles.Date);

    public void Empty()
    {
        _writer.WriteStartElement(_cell);
        _writer.WriteEndElement();
    }

    public void Dispose()
    {
        try
        {
            EndRow();
            _writer.WriteEndElement(); // sheetData
            var lastColumn = ColumnName(_columns);
            _writer.WriteElement(new AutoFilter { Reference = $"A1:{lastColumn}{Math.Max(_rowIndex, 1)}" });
            _writer.WriteEndElement(); // worksheet
            _writer.Close();
        }
        finally
        {
            _stream.Dispose();
        }
    }

    public static string ColumnName(int number)
    {
        var name = string.Empty;
        while (number > 0)
        {
            var m = (number - 1) % 26;
            name = (char)('A' + m) + name;
            number = (number - m) / 26;
        }

        return name;
    }

    private void InlineCell(string text, bool preserve, OpenXmlAttribute[] attributes)
    {
        _writer.WriteStartElement(_cell, attributes);
        _writer.WriteStartElement(_inline);
        if (preserve)
        {
            _writer.WriteStartElement(_text, _preserve);
        }
        else
        {
            _writer.WriteStartElement(_text);
        }

        _writer.WriteString(text);
        _writer.WriteEndElement();
        _writer.WriteEndElement();
        _writer.WriteEndElement();
    }

    /// <summary>
    /// Drops characters XML cannot carry, writes every line break as LF (XML readers turn a bare CR into LF anyway),
    /// keeps within Excel's 32,767 characters a cell, and says whether spaces or line breaks must be preserved. One pass
    /// over the text in the usual case: this runs for every cell.
    /// </summary>
    private static string Clean(string text, out bool preserve)
    {
        var carriageReturn = false;
        var invalid = false;
        var newline = false;
        foreach (var c in text)
        {
            if (c < 0x20)
            {
                switch (c)
                {
                    case '\r':
                        carriageReturn = true;
                        break;
                    case '\n':
                        newline = true;
                        break;
                    case '\t':
                        break;
                    default:
                        invalid = true;
                        break;
                }
            }
            else if (c is '\uFFFE' or '\uFFFF')
            {
                invalid = true;
            }
        }

        if (carriageReturn)
        {
            text = text.Replace("\r\n", "\n").Replace('\r', '\n');
            newline = true;
        }

        if (invalid)
        {
            text = new string(text.Where(c => !(c < 0x20 && c is not ('\t' or '\n')) && c is not ('\uFFFE' or '\uFFFF')).ToArray());
        }

        if (text.Length > 32_767)
        {
            text = text[..32_767];
        }

        preserve = text.Length > 0 && (newline || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]));
        return text;
    }
}

/// <summary>
/// A new workbook written entry by entry into a create-only zip: each sheet streams straight to the output, so
/// nothing grows in memory with the number of rows. (System.IO.Packaging, under the SDK's own package classes,
/// buffers every part until the package closes, and the SDK will not open a write-only package.) Sheets are written
/// with OpenXmlWriter; the small parts (workbook, styles) are the SDK's own elements.
/// </summary>
internal sealed class StreamingWorkbook : IDisposable
{
    public const CompressionLevel Compression = CompressionLevel.Optimal;

    private const string RelationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private readonly ZipArchive _zip;
    private readonly List<(string Name, int Position)> _sheets = [];

    public StreamingWorkbook(Stream output)
    {
        _zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
    }

    /// <summary>Starts a sheet. Sheets can be written in any order: <paramref name="position"/> is where the workbook shows it.</summary>
    public SheetWriter AddSheet(string name, int position, IReadOnlyList<(string Title, double Width)> columns)
    {
        _sheets.Add((name, position));
        var entry = _zip.CreateEntry($"xl/worksheets/sheet{_sheets.Count}.xml", Compression);
        return new SheetWriter(entry.Open(), columns);
    }

    public void Dispose()
    {
        var sheets = new Sheets();
        foreach (var (sheet, i) in _sheets.Select((x, i) => (x, i)).OrderBy(x => x.x.Position))
        {
            sheets.Append(new Sheet { Id = $"rId{i + 1}", SheetId = (uint)(i + 1), Name = sheet.Name });
        }

        Save("xl/workbook.xml", new Workbook(new BookViews(new WorkbookView()), sheets));
        Save("xl/styles.xml", Styles.Create());
        var rels = new StringBuilder("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">""");
        for (var i = 0; i < _sheets.Count; i++)
        {
            rels.Append(CultureInfo.InvariantCulture,
                $"""<Relationship Id="rId{i + 1}" Type="{RelationshipsNamespace}/worksheet" Target="worksheets/sheet{i + 1}.xml"/>""");
        }

        rels.Append(CultureInfo.InvariantCulture,
            $"""<Relationship Id="rId{_sheets.Count + 1}" Type="{RelationshipsNamespace}/styles" Target="styles.xml"/></Relationships>""");
        Write("xl/_rels/workbook.xml.rels", rels.ToString());
        var types = new StringBuilder("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>""");
        for (var i = 0; i < _sheets.Count; i++)
        {
            types.Append(CultureInfo.InvariantCulture,
                $"""<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>""");
        }

        types.Append("</Types>");
        Write("[Content_Types].xml", types.ToString());
        Write("_rels/.rels", $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{RelationshipsNamespace}/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
        _zip.Dispose();
    }

    private void Save(string name, OpenXmlPartRootElement element)
    {
        using var stream = _zip.CreateEntry(name, Compression).Open();
        element.Save(stream);
    }

    private void Write(string name, string xml)
    {
        using var stream = _zip.CreateEntry(name, Compression).Open();
        var bytes = Encoding.UTF8.GetBytes(xml);
        stream.Write(bytes, 0, bytes.Length);
    }
}
