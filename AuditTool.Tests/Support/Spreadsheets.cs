using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;

namespace AuditTool.Tests.Support;

/// <summary>Reads exported workbooks two independent ways: the Open XML SDK, and LibreOffice converting to CSV.</summary>
public static class Spreadsheets
{
    public static IReadOnlyList<string> ValidationErrors(string path)
    {
        using var document = SpreadsheetDocument.Open(path, false);
        return new OpenXmlValidator().Validate(document).Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}").ToList();
    }

    /// <summary>Every row of a sheet as text: inline strings as written, numbers in invariant form.</summary>
    public static List<List<string>> ReadSheet(string path, string sheetName)
    {
        using var document = SpreadsheetDocument.Open(path, false);
        var sheet = document.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == sheetName);
        var part = (WorksheetPart)document.WorkbookPart.GetPartById(sheet.Id!);
        return part.Worksheet.Descendants<Row>()
            .Select(r => r.Elements<Cell>().Select(c => c.InlineString?.Text?.Text ?? c.CellValue?.Text ?? string.Empty).ToList())
            .ToList();
    }

    public static string SheetXml(string path, string sheetName)
    {
        using var document = SpreadsheetDocument.Open(path, false);
        var sheet = document.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == sheetName);
        var part = (WorksheetPart)document.WorkbookPart.GetPartById(sheet.Id!);
        using var reader = new StreamReader(part.GetStream());
        return reader.ReadToEnd();
    }

    /// <summary>Converts every sheet with LibreOffice (headless) to CSV and returns sheet name -> rows.</summary>
    public static Dictionary<string, List<List<string>>> ReadWithLibreOffice(string path)
    {
        // 44 = comma, 34 = double quote, 76 = UTF-8, 1 = from line 1; last token -1: every sheet, one file each.
        var files = LibreOffice.ConvertAll(path, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1");
        var stem = Path.GetFileNameWithoutExtension(path);
        return files.Where(f => f.EndsWith(".csv", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f)[(stem.Length + 1)..], f => ParseCsv(File.ReadAllText(f)));
    }

    /// <summary>
    /// Opens a workbook in LibreOffice (headless) and saves it again as .xlsx (<c>--convert-to xlsx</c>), as a person
    /// would after editing it there: LibreOffice rewrites the shared strings, styles and validations its own way.
    /// Returns the new file's path.
    /// </summary>
    public static string ResaveWithLibreOffice(string path) => LibreOffice.Convert(path, "xlsx");

    private static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\n')
            {
                row.Add(cell.ToString().TrimEnd('\r'));
                cell.Clear();
                rows.Add(row);
                row = [];
            }
            else
            {
                cell.Append(c);
            }
        }

        if (cell.Length > 0 || row.Count > 0)
        {
            row.Add(cell.ToString());
            rows.Add(row);
        }

        return rows;
    }
}
