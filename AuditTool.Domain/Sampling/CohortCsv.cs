using System.Globalization;
using System.Text;

namespace AuditTool.Domain.Sampling;

/// <summary>
/// Reads a cohort list exported from a case-management system or a spreadsheet (RFC 4180 CSV) and turns it into a
/// <see cref="Cohort"/>. Rows are numbered as a spreadsheet user sees them: the header is row 1.
/// </summary>
public static class CohortCsv
{
    public const int DefaultMaxRows = 100_000;
    public const int MaxProblems = 20;
    public const int MaxReferenceLength = 64;
    public const int ProgressInterval = 1_000;

    /// <summary>
    /// Parses CSV text whose first row names the columns. Cells are trimmed; blank rows at the end of the file
    /// (including rows of empty cells, as spreadsheets export) are ignored. Reports the number of data rows read
    /// every 1,000 rows, and the total at the end.
    /// </summary>
    /// <exception cref="CohortException">The file cannot be used; up to 20 problems are listed.</exception>
    public static CsvTable Parse(TextReader reader, int maxRows = DefaultMaxRows, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRows);

        var records = new CsvRecordReader(reader);
        var header = records.Next();
        if (header is { IsBlank: true, Unterminated: false })
        {
            var next = records.Next();
            while (next is { IsBlank: true, Unterminated: false }) next = records.Next();
            if (next is not null)
                throw new CohortException("Row 1 is blank: the first row should name the columns.");
            header = null;
        }
        if (header is null)
            throw new CohortException("The file is empty: the first row should name the columns.");
        if (header.Unterminated)
            throw new CohortException(UnterminatedQuote(header.RowNumber));

        var problems = new List<string>(HeaderProblems(header.Cells));
        var headers = header.Cells;
        var rows = new List<IReadOnlyList<string>>();
        var pendingBlanks = new List<CsvRecord>();
        var dataRows = 0;

        // Returns false once reading must stop: too many rows or too many problems.
        bool Add(CsvRecord record)
        {
            if (dataRows == maxRows)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"The file has more than {maxRows:N0} rows of cases; a cohort may have at most {maxRows:N0}."));
                return false;
            }
            dataRows++;
            if (record.Cells.Count == headers.Count)
                rows.Add(record.Cells);
            else if (record.IsBlank)
                problems.Add($"Row {record.RowNumber} is blank; the header has {Count(headers.Count, "cell")}.");
            else
                problems.Add($"Row {record.RowNumber} has {Count(record.Cells.Count, "cell")}; the header has {headers.Count}.");
            if (dataRows % ProgressInterval == 0) progress?.Report(dataRows);
            return problems.Count < MaxProblems;
        }

        // Blank rows only count once a later row shows they are not trailing.
        bool Flush()
        {
            foreach (var blank in pendingBlanks)
                if (!Add(blank)) return false;
            pendingBlanks.Clear();
            return true;
        }

        while (problems.Count < MaxProblems && records.Next() is { } record)
        {
            if (record.IsBlank && !record.Unterminated)
            {
                pendingBlanks.Add(record);
                continue;
            }
            if (!Flush()) break;
            if (record.Unterminated)
            {
                problems.Add(UnterminatedQuote(record.RowNumber));
                break;
            }
            if (!Add(record)) break;
        }

        if (dataRows % ProgressInterval != 0) progress?.Report(dataRows);
        if (problems.Count > 0) throw new CohortException(problems.Take(MaxProblems).ToList());
        return new CsvTable(headers, rows);
    }

    /// <summary>
    /// The text of a cohort file's bytes, which must be UTF-8 (with or without a byte order mark). A spreadsheet's other
    /// encodings are refused, never guessed at: UTF-16 ("Unicode text") by its byte order mark or its NUL bytes, and
    /// anything else that is not UTF-8 (Latin-1, Windows-1252, ...) by the first line that holds such a byte, so no
    /// character is silently replaced.
    /// </summary>
    /// <exception cref="CohortException">The bytes are not UTF-8 text.</exception>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        const string saveAs = "save the file as CSV UTF-8 (in Excel: Save As, then \"CSV UTF-8 (Comma delimited)\") and import it again.";
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) ||
            bytes[..Math.Min(bytes.Length, 4096)].Contains((byte)0))
        {
            throw new CohortException($"The file is UTF-16 text (\"Unicode text\"), not UTF-8: {saveAs}");
        }

        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        // The first byte that does not begin a valid UTF-8 sequence (or ends the file halfway through one).
        var bad = 0;
        while (bad < bytes.Length && Rune.DecodeFromUtf8(bytes[bad..], out _, out var used) == System.Buffers.OperationStatus.Done)
        {
            bad += used;
        }

        var line = bytes[..bad].Count((byte)'\n') + 1;
        throw new CohortException(string.Create(CultureInfo.InvariantCulture, $"Line {line} is not UTF-8 text: {saveAs}"));
    }

    /// <summary>The column most likely to hold the case reference: the first whose name contains "ref", else "case", else "id".</summary>
    public static string? GuessReferenceColumn(IReadOnlyList<string> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        foreach (var hint in new[] { "ref", "case", "id" })
        {
            var found = headers.FirstOrDefault(h => h.ToLowerInvariant().Contains(hint, StringComparison.Ordinal));
            if (found is not null) return found;
        }
        return null;
    }

    /// <summary>
    /// Makes a cohort of the table, one case per row, keyed by the reference column; every other column becomes an
    /// attribute. A column is numeric when every non-empty cell is a number (a trailing % is allowed) and at least
    /// one cell is non-empty.
    /// </summary>
    /// <exception cref="CohortException">The references cannot be used; up to 20 problems are listed.</exception>
    public static Cohort ToCohort(CsvTable table, string referenceColumn)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(referenceColumn);

        var headers = table.Headers;
        var refIndex = IndexOf(headers, referenceColumn.Trim());
        if (refIndex < 0)
            throw new CohortException($"There is no column called '{referenceColumn}'. Columns: {string.Join(", ", headers)}.");

        var problems = new List<string>();
        var rows = new List<CohortRow>(table.Rows.Count);
        var rowsByRef = new Dictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
        var refsInOrder = new List<string>();

        for (var position = 0; position < table.Rows.Count; position++)
        {
            var cells = table.Rows[position];
            var rowNumber = position + 2;
            if (cells.Count != headers.Count)
            {
                problems.Add($"Row {rowNumber} has {Count(cells.Count, "cell")}; the header has {headers.Count}.");
                continue;
            }

            var reference = cells[refIndex].Trim();
            if (reference.Length == 0)
                problems.Add($"Row {rowNumber} has no case reference.");
            else if (reference.Length > MaxReferenceLength)
                problems.Add($"The case reference on row {rowNumber} is {reference.Length} characters long; a case reference may have at most {MaxReferenceLength}.");
            else if (rowsByRef.TryGetValue(reference, out var seenOn))
                seenOn.Add(rowNumber);
            else
            {
                rowsByRef[reference] = [rowNumber];
                refsInOrder.Add(reference);
            }

            var attributes = new Dictionary<string, string>(headers.Count - 1, StringComparer.OrdinalIgnoreCase);
            for (var column = 0; column < headers.Count; column++)
                if (column != refIndex) attributes[headers[column]] = cells[column].Trim();
            rows.Add(new CohortRow(position, reference, attributes));
        }

        foreach (var reference in refsInOrder)
        {
            var seenOn = rowsByRef[reference];
            if (seenOn.Count > 1)
                problems.Add($"The case reference '{reference}' appears on rows {JoinWithAnd(seenOn)}: references must be unique.");
        }
        if (problems.Count > 0) throw new CohortException(problems.Take(MaxProblems).ToList());

        var attributeNames = headers.Where((_, column) => column != refIndex).ToList();
        var numeric = new HashSet<string>(
            attributeNames.Where(name => IsNumeric(rows.Select(row => row.Attributes[name]))),
            StringComparer.OrdinalIgnoreCase);
        return new Cohort(rows, attributeNames, numeric);
    }

    private static bool IsNumeric(IEnumerable<string> cells)
    {
        var anyValue = false;
        foreach (var cell in cells)
        {
            if (cell.Length == 0) continue;
            if (!CohortNumber.TryParse(cell, out _)) return false;
            anyValue = true;
        }
        return anyValue;
    }

    private static IEnumerable<string> HeaderProblems(IReadOnlyList<string> headers)
    {
        for (var column = 0; column < headers.Count; column++)
            if (headers[column].Length == 0)
                yield return $"Column {column + 1} of the header has no name.";

        var duplicates = headers
            .Select((name, column) => (name, column: column + 1))
            .Where(h => h.name.Length > 0)
            .GroupBy(h => h.name, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1);
        foreach (var group in duplicates)
            yield return $"The header names '{group.Key}' in columns {JoinWithAnd(group.Select(h => h.column).ToList())}: column names must be unique.";
    }

    private static int IndexOf(IReadOnlyList<string> headers, string name)
    {
        for (var i = 0; i < headers.Count; i++)
            if (string.Equals(headers[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }

    private static string UnterminatedQuote(int rowNumber) =>
        $"Row {rowNumber} opens a quoted cell (\") that is never closed.";

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    internal static string JoinWithAnd(IReadOnlyList<int> numbers) =>
        numbers.Count == 1
            ? numbers[0].ToString(CultureInfo.InvariantCulture)
            : string.Join(", ", numbers.Take(numbers.Count - 1)) + " and " + numbers[^1];

    private sealed record CsvRecord(int RowNumber, List<string> Cells, bool IsBlank, bool Unterminated);

    /// <summary>Splits the text into records (spreadsheet rows): a quoted cell may hold commas, quotes and line ends.</summary>
    private sealed class CsvRecordReader(TextReader reader)
    {
        private readonly char[] _buffer = new char[16 * 1024];
        private int _length;
        private int _index;
        private bool _started;
        private int _rowNumber;

        public CsvRecord? Next()
        {
            if (!_started)
            {
                _started = true;
                if (Peek() == '\uFEFF') Read();
            }

            var c = Read();
            if (c == -1) return null;
            _rowNumber++;

            var cells = new List<string>();
            var cell = new StringBuilder();
            var state = State.CellStart;
            for (; ; c = Read())
            {
                if (state == State.Quoted)
                {
                    if (c == -1) return new CsvRecord(_rowNumber, cells, false, Unterminated: true);
                    if (c != '"') cell.Append((char)c);
                    else if (Peek() == '"') cell.Append((char)Read());
                    else state = State.AfterQuote;
                    continue;
                }

                if (c == ',' || c == '\r' || c == '\n' || c == -1)
                {
                    cells.Add(cell.ToString().Trim());
                    cell.Clear();
                    state = State.CellStart;
                    if (c == ',') continue;
                    if (c == '\r' && Peek() == '\n') Read();
                    return new CsvRecord(_rowNumber, cells, cells.TrueForAll(s => s.Length == 0), Unterminated: false);
                }

                if (state == State.CellStart && c == '"')
                {
                    cell.Clear(); // whitespace before the opening quote is not part of the cell
                    state = State.Quoted;
                    continue;
                }

                // Lenient like spreadsheets: a stray quote inside an unquoted cell, or text after a closing quote, is kept.
                cell.Append((char)c);
                if (state == State.CellStart && !char.IsWhiteSpace((char)c)) state = State.Unquoted;
            }
        }

        private int Read()
        {
            if (!Fill()) return -1;
            return _buffer[_index++];
        }

        private int Peek() => Fill() ? _buffer[_index] : -1;

        private bool Fill()
        {
            if (_index < _length) return true;
            _length = reader.Read(_buffer, 0, _buffer.Length);
            _index = 0;
            return _length > 0;
        }

        private enum State { CellStart, Unquoted, Quoted, AfterQuote }
    }
}
