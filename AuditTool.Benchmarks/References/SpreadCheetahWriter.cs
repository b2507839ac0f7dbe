using AuditTool.Domain.Exports;
using Microsoft.Extensions.DependencyInjection;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace AuditTool.Benchmarks.References;

/// <summary>
/// SpreadCheetah (a maintained streaming xlsx library) writing the product's Responses cells, in two ways:
/// <list type="bullet">
/// <item><see cref="WriteCellsAsync"/>: the same cells as the floor and the DOM reference, nothing else (plain header,
/// no styles of its own, no sheet settings).</item>
/// <item><see cref="WriteProductSheetAsync"/>: the Responses sheet as the product writes it: bold header, frozen header
/// row, autofilter over the rows written, the product's column widths, and the product's literal-text rule.</item>
/// </list>
/// Both read the rows through <see cref="ResponseSheet"/> (the product's own query) and compress at
/// <see cref="SpreadCheetahCompressionLevel.Optimal"/>, which SpreadCheetah maps to System.IO.Compression's
/// CompressionLevel.Optimal, the product's level. SpreadCheetah writes every string as an inline string
/// (t="inlineStr"), never through a shared-strings part, and never as a formula unless given a Formula.
/// </summary>
public static class SpreadCheetahWriter
{
    // The product's Responses columns and widths (XlsxWorkbookWriter.WriteAsync).
    private static readonly double[] Widths = [16, 34, 14, 26, 60, 28, 8, 60];

    // The product's rule (SheetWriter.Text): text starting with one of these is marked as literal text.
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r', '\n'];

    // Excel's limit of characters in a cell; the product truncates to it, SpreadCheetah writes longer text as given.
    private const int MaxCellText = 32_767;

    public static async Task<long> WriteCellsAsync(IServiceProvider services, long auditId, string path)
    {
        var sheet = await ResponseSheet.LoadAsync(services, auditId);
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        await using var spreadsheet = await Spreadsheet.CreateNewAsync(file, new SpreadCheetahOptions { CompressionLevel = SpreadCheetahCompressionLevel.Optimal });
        await spreadsheet.StartWorksheetAsync("Responses");
        await spreadsheet.AddHeaderRowAsync(ResponseSheet.Headers);
        var row = new DataCell[ResponseSheet.Headers.Length];
        long rows = 0;
        foreach (var cells in sheet.Rows())
        {
            for (var i = 0; i < cells.Length; i++)
            {
                row[i] = cells[i] switch
                {
                    { Text: { } text } => new DataCell(text),
                    { Number: { } number } => new DataCell(number),
                    _ => default,
                };
            }

            await spreadsheet.AddRowAsync(row);
            rows++;
        }

        await spreadsheet.FinishAsync();
        return rows;
    }

    public static async Task<long> WriteProductSheetAsync(IServiceProvider services, long auditId, string path)
    {
        var sheet = await ResponseSheet.LoadAsync(services, auditId);
        // SpreadCheetah writes the autofilter's range before the rows, so it needs the row count up front; the product's
        // export has it already (ExportService counts the responses with this same call).
        var count = await services.GetRequiredService<IResponseSource>().CountAsync(auditId, null);

        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        await using var spreadsheet = await Spreadsheet.CreateNewAsync(file, new SpreadCheetahOptions
        {
            CompressionLevel = SpreadCheetahCompressionLevel.Optimal,
            // The product keeps leading and trailing spaces and line breaks (xml:space="preserve" where needed).
            // SpreadCheetah can only put the attribute on every string or on none.
            PreserveStringWhitespace = true,
        });
        var header = spreadsheet.AddStyle(new Style { Font = { Bold = true } });
        // SpreadCheetah has no quotePrefix: the product's QuotedText style is number format 49 ("@", Text) plus
        // quotePrefix; the Text number format is the half SpreadCheetah can write.
        var literal = spreadsheet.AddStyle(new Style { Format = NumberFormat.Standard(StandardNumberFormat.Text) });

        var options = new WorksheetOptions
        {
            FrozenRows = 1,
            AutoFilter = new AutoFilterOptions($"A1:{SpreadsheetUtility.GetColumnName(Widths.Length)}{Math.Max(count + 1, 1)}"),
        };
        for (var i = 0; i < Widths.Length; i++)
        {
            options.Column(i + 1).Width = Widths[i];
        }

        await spreadsheet.StartWorksheetAsync("Responses", options);
        await spreadsheet.AddHeaderRowAsync(ResponseSheet.Headers, header);
        var row = new Cell[ResponseSheet.Headers.Length];
        long rows = 0;
        foreach (var cells in sheet.Rows())
        {
            for (var i = 0; i < cells.Length; i++)
            {
                row[i] = cells[i] switch
                {
                    { Text: { } text } => Text(text, literal),
                    { Number: { } number } => new Cell(number),
                    _ => default,
                };
            }

            await spreadsheet.AddRowAsync(row);
            rows++;
        }

        await spreadsheet.FinishAsync();
        return rows;
    }

    private static Cell Text(string text, StyleId literal)
    {
        // Characters XML cannot carry SpreadCheetah drops by itself; the length limit is the caller's.
        if (text.Length > MaxCellText)
        {
            text = text[..MaxCellText];
        }

        return Array.IndexOf(FormulaStarts, text[0]) >= 0 ? new Cell(text, literal) : new Cell(text);
    }
}
