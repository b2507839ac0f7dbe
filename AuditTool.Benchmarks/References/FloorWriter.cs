using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace AuditTool.Benchmarks.References;

/// <summary>
/// The floor: the Responses cells written with a plain XmlWriter into one zip entry at the product's compression
/// level; no styles, no other parts, nothing to make it a valid workbook. No writer of these cells can do much better.
/// </summary>
public static class FloorWriter
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    public static async Task<long> WriteAsync(IServiceProvider services, long auditId, string path)
    {
        var sheet = await ResponseSheet.LoadAsync(services, auditId);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        using var entry = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Optimal).Open();
        using var xml = XmlWriter.Create(entry, new XmlWriterSettings { Encoding = new UTF8Encoding(false) });
        xml.WriteStartDocument(true);
        xml.WriteStartElement("worksheet", Main);
        xml.WriteStartElement("sheetData");
        long rows = 0;
        WriteRow(xml, ++rows, ResponseSheet.Headers.Select(h => new SheetCell(h, null)).ToArray());
        foreach (var cells in sheet.Rows())
        {
            WriteRow(xml, ++rows, cells);
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
        return rows - 1;
    }

    private static void WriteRow(XmlWriter xml, long index, SheetCell[] cells)
    {
        xml.WriteStartElement("row");
        xml.WriteAttributeString("r", index.ToString(CultureInfo.InvariantCulture));
        foreach (var cell in cells)
        {
            xml.WriteStartElement("c");
            if (cell.Text is { } text)
            {
                xml.WriteAttributeString("t", "inlineStr");
                xml.WriteStartElement("is");
                xml.WriteElementString("t", text);
                xml.WriteEndElement();
            }
            else if (cell.Number is { } number)
            {
                xml.WriteElementString("v", number.ToString("R", CultureInfo.InvariantCulture));
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }
}
