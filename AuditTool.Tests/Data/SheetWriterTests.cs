using AuditTool.Documents.Excel;
using AuditTool.Tests.Support;

namespace AuditTool.Tests.Data;

/// <summary>
/// The streamed sheet writer writes its own XML bytes: whatever text a person typed must come back from the file
/// exactly as a spreadsheet reads it, and the file must stay valid.
/// </summary>
public sealed class SheetWriterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("audittool-sheet-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(Action<SheetWriter> rows, params (string Title, double Width)[] columns)
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.xlsx");
        using (var file = File.Create(path))
        using (var workbook = new StreamingWorkbook(file))
        {
            using var sheet = workbook.AddSheet("Responses", 0, columns);
            rows(sheet);
        }

        return path;
    }

    [Fact]
    public void Text_IsEscaped_AndReadsBackAsTyped()
    {
        string[] texts =
        [
            "<script>alert('x')</script> & \"quoted\" > more",
            "Child's voice: \u201Cscared\u201D \u2013 baby \U0001F476, Welsh \u0175, Polish \u0142",
            "  leading and trailing spaces  ",
            "two\nlines",
            "&amp; is not decoded twice",
            new string('x', 40_000),
            string.Concat(Enumerable.Repeat("\u00e9\U0001F476&<", 9_000)),
        ];
        var path = Write(sheet =>
        {
            foreach (var text in texts)
            {
                sheet.BeginRow();
                sheet.Text(text);
            }
        }, ("Evidence", 60));

        Assert.Empty(Spreadsheets.ValidationErrors(path));
        var read = Spreadsheets.ReadSheet(path, "Responses").Skip(1).Select(r => r[0]).ToList();
        // Cut at Excel's 32,767 characters a cell, never inside a surrogate pair.
        Assert.Equal(texts.Select(t => t.Length <= 32_767 ? t : char.IsHighSurrogate(t[32_766]) ? t[..32_766] : t[..32_767]), read);
        Assert.Equal(32_766, read[^1].Length);
    }

    [Fact]
    public void CharactersXmlCannotCarry_AreDropped_AndCarriageReturnsBecomeLineFeeds()
    {
        var path = Write(sheet =>
        {
            sheet.BeginRow();
            sheet.Text("bell\u0007 and form\u000C feed");
            sheet.BeginRow();
            sheet.Text("windows\r\nline\rend");
        }, ("Evidence", 60));

        Assert.Empty(Spreadsheets.ValidationErrors(path));
        var read = Spreadsheets.ReadSheet(path, "Responses").Skip(1).Select(r => r[0]).ToList();
        Assert.Equal(["bell and form feed", "windows\nline\nend"], read);
    }

    [Fact]
    public void HalfAnEmoji_PastedOnItsOwn_IsWrittenAsTheReplacementCharacter_NotAnInvalidFile()
    {
        var path = Write(sheet =>
        {
            sheet.BeginRow();
            sheet.Text("broken \uD83D pair and \uDC76 low");
        }, ("Evidence", 60));

        Assert.Empty(Spreadsheets.ValidationErrors(path));
        Assert.Equal("broken \uFFFD pair and \uFFFD low", Spreadsheets.ReadSheet(path, "Responses")[1][0]);
    }

    [Fact]
    public void Numbers_Header_Widths_FrozenRow_AndFilter_AreWritten()
    {
        var path = Write(sheet =>
        {
            sheet.BeginRow();
            sheet.Text("C-001");
            sheet.Number(0.1 + 0.2);
            sheet.Percent(0.875);
            sheet.Date(new DateOnly(2027, 1, 31));
            sheet.BeginRow();
            sheet.Empty();
            sheet.Number(double.NaN);
            sheet.Integer(1_500_000);
            sheet.Number(null);
        }, ("Case reference", 16), ("Score", 8.5), ("Rate", 10), ("Due", 12));

        Assert.Empty(Spreadsheets.ValidationErrors(path));
        var rows = Spreadsheets.ReadSheet(path, "Responses");
        Assert.Equal(["Case reference", "Score", "Rate", "Due"], rows[0]);
        Assert.Equal(["C-001", "0.30000000000000004", "0.875", "46418"], rows[1]);
        Assert.Equal(["", "", "1500000", ""], rows[2]);
        var xml = Spreadsheets.SheetXml(path, "Responses");
        Assert.Contains("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>", xml);
        Assert.Contains("<col min=\"2\" max=\"2\" width=\"8.5\" customWidth=\"1\"/>", xml);
        Assert.Contains("<autoFilter ref=\"A1:D3\"/>", xml);
        Assert.Contains("<c s=\"2\"><v>0.875</v></c>", xml);
    }
}
