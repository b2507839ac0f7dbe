using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace AuditTool.Benchmarks.References;

/// <summary>
/// The Open XML SDK DOM approach a typical implementation takes: build the whole SheetData as Row and Cell objects
/// (inline strings and numbers), then save the package. The cells are the product's Responses cells.
/// </summary>
public static class DomWriter
{
    public static async Task<long> WriteAsync(IServiceProvider services, long auditId, string path)
    {
        var sheet = await ResponseSheet.LoadAsync(services, auditId);
        // System.IO.Packaging needs a readable, seekable stream to create a package.
        using var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        using var document = SpreadsheetDocument.Create(file, SpreadsheetDocumentType.Workbook);
        var workbookPart = document.AddWorkbookPart();
        workbookPart.Workbook = new Workbook();
        var worksheetPart = workbookPart.AddNewPart<WorksheetPart>();
        var sheetData = new SheetData();
        worksheetPart.Worksheet = new Worksheet(sheetData);
        workbookPart.Workbook.AppendChild(new Sheets(new Sheet { Id = workbookPart.GetIdOfPart(worksheetPart), SheetId = 1, Name = "Responses" }));

        uint rows = 0;
        sheetData.AppendChild(Row(++rows, ResponseSheet.Headers.Select(h => new SheetCell(h, null)).ToArray()));
        foreach (var cells in sheet.Rows())
        {
            sheetData.AppendChild(Row(++rows, cells));
        }

        worksheetPart.Worksheet.Save();
        workbookPart.Workbook.Save();
        document.Save();
        return rows - 1;
    }

    private static Row Row(uint index, SheetCell[] cells)
    {
        var row = new Row { RowIndex = index };
        foreach (var cell in cells)
        {
            row.AppendChild(cell switch
            {
                { Text: { } text } => new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text)) },
                { Number: { } number } => new Cell { CellValue = new CellValue(number.ToString("R", CultureInfo.InvariantCulture)) },
                _ => new Cell(),
            });
        }

        return row;
    }
}
