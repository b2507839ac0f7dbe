using AuditTool.Domain.Sampling;
using static AuditTool.Tests.Domain.Sampling.SamplingData;

namespace AuditTool.Tests.Domain.Sampling;

public class CohortCsvTests
{
    [Fact]
    public void Parse_ReadsTheHeaderAndTrimmedCells()
    {
        var table = Parse("ref , locality,age\nC-001,  Hartlepool ,14\nC-002,Stockton,\n");

        Assert.Equal(["ref", "locality", "age"], table.Headers);
        Assert.Equal(2, table.Rows.Count);
        Assert.Equal(["C-001", "Hartlepool", "14"], table.Rows[0]);
        Assert.Equal(["C-002", "Stockton", ""], table.Rows[1]);
    }

    [Fact]
    public void Parse_QuotedCells_KeepCommasLineEndsAndDoubledQuotes()
    {
        var csv = "ref,locality,note\r\n" +
                  "C-001,\"Stockton, north\",\"said \"\"no\"\"\r\nthen left\"\r\n" +
                  "C-002,Hartlepool,plain\r\n";

        var table = Parse(csv);

        Assert.Equal(2, table.Rows.Count);
        Assert.Equal("Stockton, north", table.Rows[0][1]);
        Assert.Equal("said \"no\"\r\nthen left", table.Rows[0][2]);
        Assert.Equal(["C-002", "Hartlepool", "plain"], table.Rows[1]);
    }

    [Fact]
    public void Parse_IgnoresTheByteOrderMarkAndTrailingEmptyLines()
    {
        var table = Parse("\uFEFFref,send\r\nC-001,EHCP\r\n\r\n,\r\n\n");

        Assert.Equal(["ref", "send"], table.Headers);
        Assert.Equal(["C-001", "EHCP"], Assert.Single(table.Rows));
    }

    [Fact]
    public void Parse_RaggedRow_IsNamedByItsSpreadsheetRowNumber()
    {
        // Row 2 spans two lines of text but is one spreadsheet row, so the short row is row 3 (line 4).
        var csv = "ref,locality,age,attendance,send,plan type\n" +
                  "C-001,\"Hartle\npool\",14,65,None,CIN\n" +
                  "C-002,Stockton,12,70,None\n";

        var ex = Assert.Throws<CohortException>(() => Parse(csv));

        Assert.Equal("Row 3 has 5 cells; the header has 6.", Assert.Single(ex.Problems));
    }

    [Fact]
    public void Parse_UnterminatedQuote_IsAProblem()
    {
        var ex = Assert.Throws<CohortException>(() => Parse("ref,note\nC-001,ok\nC-002,\"never closed\nC-003,x\n"));

        Assert.Equal("Row 3 opens a quoted cell (\") that is never closed.", Assert.Single(ex.Problems));
    }

    [Fact]
    public void Parse_DuplicateAndEmptyHeaderNames_AreProblems()
    {
        var ex = Assert.Throws<CohortException>(() => Parse("ref,Age,,age\nC-001,1,2,3\n"));

        Assert.Equal(
            ["Column 3 of the header has no name.", "The header names 'Age' in columns 2 and 4: column names must be unique."],
            ex.Problems);
        Assert.Equal(string.Join(Environment.NewLine, ex.Problems), ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\uFEFF")]
    [InlineData("\r\n\r\n")]
    public void Parse_EmptyFile_IsAProblem(string csv)
    {
        var ex = Assert.Throws<CohortException>(() => Parse(csv));

        Assert.Equal("The file is empty: the first row should name the columns.", Assert.Single(ex.Problems));
    }

    [Fact]
    public void Parse_MoreThanMaxRows_IsAProblem_ButExactlyMaxRowsIsFine()
    {
        const string threeRows = "ref\nC-001\nC-002\nC-003\n\n";

        var ex = Assert.Throws<CohortException>(() => Parse(threeRows + "C-004\n", maxRows: 3));

        Assert.Equal("The file has more than 3 rows of cases; a cohort may have at most 3.", Assert.Single(ex.Problems));
        Assert.Equal(3, Parse(threeRows, maxRows: 3).Rows.Count);
    }

    [Fact]
    public void Parse_StopsAfterTwentyProblems()
    {
        var csv = "ref,send\n" + string.Concat(Enumerable.Range(1, 30).Select(n => $"C-{n:000}\n"));

        var ex = Assert.Throws<CohortException>(() => Parse(csv));

        Assert.Equal(20, ex.Problems.Count);
        Assert.Equal("Row 2 has 1 cell; the header has 2.", ex.Problems[0]);
        Assert.Equal("Row 21 has 1 cell; the header has 2.", ex.Problems[^1]);
    }

    [Fact]
    public void Parse_BlankRowBetweenCases_IsAProblem()
    {
        var ex = Assert.Throws<CohortException>(() => Parse("ref,send\nC-001,None\n\nC-002,EHCP\n"));

        Assert.Equal("Row 3 is blank; the header has 2 cells.", Assert.Single(ex.Problems));
    }

    [Fact]
    public void Parse_ReportsProgressEveryThousandRowsAndAtTheEnd()
    {
        var csv = "ref\n" + string.Concat(Enumerable.Range(1, 2_500).Select(n => $"C-{n}\n"));
        var progress = new RecordingProgress();

        var table = Parse(csv, progress: progress);

        Assert.Equal(2_500, table.Rows.Count);
        Assert.Equal([1_000, 2_000, 2_500], progress.Reports);
    }

    [Fact]
    public void Decode_Latin1_IsRefused_NamingTheFirstLineThatIsNotUtf8()
    {
        // Lines 1 and 2 are plain ASCII; line 3 holds "Café" saved as Latin-1 (é is the single byte 0xE9), and so does line 4.
        var bytes = System.Text.Encoding.Latin1.GetBytes("ref,locality\nC-001,Stockton\nC-002,Caf\u00e9 north\nC-003,Hartlepool\u00e9\n");

        var ex = Assert.Throws<CohortException>(() => CohortCsv.Decode(bytes));

        Assert.Equal("Line 3 is not UTF-8 text: save the file as CSV UTF-8 (in Excel: Save As, then \"CSV UTF-8 (Comma delimited)\") and import it again.",
            Assert.Single(ex.Problems));
    }

    [Theory]
    [InlineData("utf-16LE", true)]
    [InlineData("utf-16BE", true)]
    [InlineData("utf-16LE", false)]
    public void Decode_Utf16_IsRefusedAsUtf16_NotReadAsRaggedRows(string encoding, bool byteOrderMark)
    {
        var text = System.Text.Encoding.GetEncoding(encoding);
        var bytes = (byteOrderMark ? text.GetPreamble() : []).Concat(text.GetBytes("ref,locality\r\nC-001,Stockton\r\nC-002,Hartlepool\r\n")).ToArray();

        var ex = Assert.Throws<CohortException>(() => CohortCsv.Decode(bytes));

        Assert.StartsWith("The file is UTF-16 text (\"Unicode text\"), not UTF-8: save the file as CSV UTF-8", Assert.Single(ex.Problems));
    }

    [Fact]
    public void Decode_Utf8_WithOrWithoutItsByteOrderMark_IsReadAsWritten()
    {
        var utf8 = System.Text.Encoding.UTF8.GetBytes("ref,locality\nC-001,Caf\u00e9 \u2013 north \U0001F600\n");

        var plain = Parse(CohortCsv.Decode(utf8));
        var marked = Parse(CohortCsv.Decode([0xEF, 0xBB, 0xBF, .. utf8]));

        Assert.Equal("Caf\u00e9 \u2013 north \U0001F600", plain.Rows[0][1]);
        Assert.Equal(plain.Headers, marked.Headers);
        Assert.Equal(plain.Rows[0], marked.Rows[0]);
    }

    [Theory]
    [InlineData("locality,Case Ref,case number", "Case Ref")]
    [InlineData("locality,Case number,ID", "Case number")]
    [InlineData("locality,Child ID,age", "Child ID")]
    [InlineData("locality,age,send", null)]
    public void GuessReferenceColumn_PrefersRefThenCaseThenId(string headers, string? expected)
    {
        Assert.Equal(expected, CohortCsv.GuessReferenceColumn(headers.Split(',')));
    }
}
