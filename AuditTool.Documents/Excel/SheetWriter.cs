using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace AuditTool.Documents.Excel;

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

    /// <summary>Three decimals (0.815): agreement coefficients such as Krippendorff's alpha.</summary>
    public const uint Reliability = 8;

    public static Stylesheet Create() => new(
        new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "0.0%" },
            new NumberingFormat { NumberFormatId = 165, FormatCode = "0.000" }) { Count = 2 },
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
            new CellFormat { NumberFormatId = 0, FontId = 1, FillId = 0, BorderId = 0, FormatId = 0, ApplyFont = true },
            new CellFormat { NumberFormatId = 165, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true }) { Count = 9 },
        new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });
}

/// <summary>
/// Writes one worksheet row by row as UTF-8 straight into the package part, so memory does not grow with the number of
/// rows. The markup is a handful of fixed byte strings; only user text is encoded, and escaped where XML needs it. (The
/// Open XML SDK's OpenXmlWriter did the same through XmlWriter at about twice the cost a cell: a million rows made that
/// the larger part of an export.) User text is always an inline string, never a formula.
/// </summary>
internal sealed class SheetWriter : IDisposable
{
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r', '\n'];
    private static readonly SearchValues<char> Escaped = SearchValues.Create("&<>");

    // Cell starts, their style indexes taken from Styles.
    private static readonly byte[] TextStart = CellStart(inline: true, Styles.Default);
    private static readonly byte[] QuotedStart = CellStart(inline: true, Styles.QuotedText);
    private static readonly byte[] HeaderStart = CellStart(inline: true, Styles.Header);
    private static readonly byte[] BoldStart = CellStart(inline: true, Styles.Bold);

    private const int BufferSize = 1 << 16;

    private readonly Stream _stream;
    private readonly int _columns;
    private readonly Dictionary<uint, byte[]> _numberStyles = [];
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _used;
    private uint _rowIndex;
    private bool _inRow;

    public SheetWriter(Stream stream, IReadOnlyList<(string Title, double Width)> columns)
    {
        _columns = columns.Count;
        _stream = stream;
        try
        {
            Begin(columns);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            stream.Dispose();
            throw;
        }
    }

    private void Begin(IReadOnlyList<(string Title, double Width)> columns)
    {
        // The header row stays in view (frozen pane) and every column has its width.
        Raw("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"""u8);
        Raw("""<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews><cols>"""u8);
        for (var i = 0; i < columns.Count; i++)
        {
            Raw("<col min=\""u8);
            Format(i + 1);
            Raw("\" max=\""u8);
            Format(i + 1);
            Raw("\" width=\""u8);
            Format(columns[i].Width);
            Raw("\" customWidth=\"1\"/>"u8);
        }

        Raw("</cols><sheetData>"u8);
        BeginRow();
        foreach (var (title, _) in columns)
        {
            InlineCell(Clean(title, out var preserve), preserve, HeaderStart);
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
        Raw("<row r=\""u8);
        Format(_rowIndex);
        Raw("\">"u8);
        _inRow = true;
    }

    public void EndRow()
    {
        if (_inRow)
        {
            Raw("</row>"u8);
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
        if (clean.Length > 0 && Array.IndexOf(FormulaStarts, clean[0]) >= 0)
        {
            InlineCell(clean, preserve, QuotedStart);
        }
        else
        {
            InlineCell(clean, preserve, TextStart);
        }
    }

    public void BoldText(string text)
    {
        var clean = Clean(text, out var preserve);
        InlineCell(clean, preserve, BoldStart);
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
            Raw("<c><v>"u8);
        }
        else
        {
            if (!_numberStyles.TryGetValue(style, out var start))
            {
                start = CellStart(inline: false, style);
                _numberStyles[style] = start;
            }

            Raw(start);
        }

        Format(v);
        Raw("</v></c>"u8);
    }

    public void Percent(double? rate) => Number(rate, Styles.Percent);

    public void Integer(long? value) => Number(value, Styles.Integer);

    public void Date(DateOnly? date) => Number(date?.ToDateTime(TimeOnly.MinValue).ToOADate(), Styles.Date);

    public void Empty() => Raw("<c/>"u8);

    public void Dispose()
    {
        try
        {
            EndRow();
            Raw("</sheetData><autoFilter ref=\"A1:"u8);
            Raw(Encoding.ASCII.GetBytes(ColumnName(_columns)));
            Format(Math.Max(_rowIndex, 1));
            Raw("\"/></worksheet>"u8);
            Flush();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
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

    /// <summary>The opening of a cell: an inline string or a number, with its style unless the default.</summary>
    private static byte[] CellStart(bool inline, uint style) => Encoding.UTF8.GetBytes(
        $"<c{(inline ? " t=\"inlineStr\"" : "")}{(style == Styles.Default ? "" : $" s=\"{style.ToString(CultureInfo.InvariantCulture)}\"")}>{(inline ? "<is>" : "<v>")}");

    private void InlineCell(string text, bool preserve, ReadOnlySpan<byte> start)
    {
        Raw(start);
        Raw(preserve ? "<t xml:space=\"preserve\">"u8 : "<t>"u8);
        Escape(text);
        Raw("</t></is></c>"u8);
    }

    /// <summary>Text content as UTF-8 with &amp;, &lt; and &gt; escaped (quotes need no escape outside attributes).</summary>
    private void Escape(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            var next = text.IndexOfAny(Escaped);
            var plain = next < 0 ? text : text[..next];
            if (!plain.IsEmpty)
            {
                Encode(plain);
            }

            if (next < 0)
            {
                return;
            }

            Raw(text[next] switch
            {
                '&' => "&amp;"u8,
                '<' => "&lt;"u8,
                _ => "&gt;"u8,
            });
            text = text[(next + 1)..];
        }
    }

    private void Encode(ReadOnlySpan<char> text)
    {
        // A cell holds at most 32,767 characters, and a char is at most 3 UTF-8 bytes: a chunk always fits an empty buffer.
        const int chunk = BufferSize / 3;
        while (!text.IsEmpty)
        {
            var part = text.Length > chunk ? text[..chunk] : text;
            if (part.Length == chunk && char.IsHighSurrogate(part[^1]))
            {
                part = part[..^1];
            }

            Reserve(Encoding.UTF8.GetMaxByteCount(part.Length));
            _used += Encoding.UTF8.GetBytes(part, _buffer.AsSpan(_used));
            text = text[part.Length..];
        }
    }

    private void Format<T>(T value) where T : IUtf8SpanFormattable
    {
        Reserve(32);
        if (!value.TryFormat(_buffer.AsSpan(_used), out var written, value is double ? "R" : default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"{value} did not fit 32 bytes.");
        }

        _used += written;
    }

    private void Raw(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_used));
        _used += bytes.Length;
    }

    private void Reserve(int bytes)
    {
        if (_used + bytes > _buffer.Length)
        {
            Flush();
        }
    }

    private void Flush()
    {
        _stream.Write(_buffer, 0, _used);
        _used = 0;
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
            // Never half a surrogate pair (an emoji) at the cut: that would be a character no file can hold.
            text = text[..(char.IsHighSurrogate(text[32_766]) ? 32_766 : 32_767)];
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
