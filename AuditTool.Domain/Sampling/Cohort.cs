namespace AuditTool.Domain.Sampling;

/// <summary>A parsed CSV file: the header row's names and the data rows' trimmed cells.</summary>
public sealed record CsvTable(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>One case of a cohort. Position is the 0-based index of its data row in the file.</summary>
public sealed record CohortRow(int Position, string Ref, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// The cases a sample is drawn from. Attribute names are matched ignoring case, as a person reading the header
/// would; <see cref="Attributes"/> keeps the header's own spelling and order.
/// </summary>
public sealed record Cohort(IReadOnlyList<CohortRow> Rows, IReadOnlyList<string> Attributes, IReadOnlySet<string> NumericAttributes);
