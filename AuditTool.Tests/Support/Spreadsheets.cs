using System.Diagnostics;
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
        var output = Path.Combine(Path.GetDirectoryName(path)!, "libreoffice-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(output);
        var profile = Path.Combine(Path.GetTempPath(), "audittool-lo-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("libreoffice")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     $"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                     // 44 = comma, 34 = double quote, 76 = UTF-8, 1 = from line 1; last token -1: every sheet.
                     "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                     "--outdir", output, path,
                 })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("LibreOffice did not start.");
        var log = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        if (!process.WaitForExit(180_000))
        {
            process.Kill(true);
            throw new TimeoutException("LibreOffice took longer than 3 minutes.");
        }

        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (IOException)
        {
        }

        var stem = Path.GetFileNameWithoutExtension(path);
        var sheets = Directory.GetFiles(output, "*.csv")
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f)[(stem.Length + 1)..], f => ParseCsv(File.ReadAllText(f)));
        if (sheets.Count == 0)
        {
            throw new InvalidOperationException("LibreOffice wrote no CSV: " + log);
        }

        return sheets;
    }

    /// <summary>
    /// Opens a workbook in LibreOffice (headless) and saves it again as .xlsx (<c>soffice --convert-to xlsx</c>), as a
    /// person would after editing it there: LibreOffice rewrites the shared strings, styles and validations its own way.
    /// Returns the new file's path.
    /// </summary>
    public static string ResaveWithLibreOffice(string path)
    {
        var output = Path.Combine(Path.GetDirectoryName(path)!, "libreoffice-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(output);
        var profile = Path.Combine(Path.GetTempPath(), "audittool-lo-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("soffice") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { $"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--convert-to", "xlsx", "--outdir", output, path })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("LibreOffice did not start.");
        var log = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        if (!process.WaitForExit(180_000))
        {
            process.Kill(true);
            throw new TimeoutException("LibreOffice took longer than 3 minutes.");
        }

        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (IOException)
        {
        }

        var converted = Path.Combine(output, Path.GetFileName(path));
        return File.Exists(converted) ? converted : throw new InvalidOperationException("LibreOffice wrote no workbook: " + log);
    }

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
