using Dapper;

namespace AuditTool.Data;

/// <summary>Statements sent as one command: their text joined, their parameters merged (a name given twice must
/// have one value: the statements share the return's id and the time).</summary>
internal sealed class StatementBatch
{
    private readonly List<string> _sql = [];

    public Dictionary<string, object?> Parameters { get; } = new(StringComparer.Ordinal);

    public string Sql => string.Join(";\n", _sql);

    /// <summary>Parameters for Dapper, each by its own name (as the statements spell it: SQLite's names are exact).</summary>
    public static DynamicParameters ToDapper(IReadOnlyDictionary<string, object?> parameters)
    {
        var dapper = new DynamicParameters();
        foreach (var (name, value) in parameters)
        {
            dapper.Add(name, value);
        }

        return dapper;
    }

    public void Add((string Sql, IReadOnlyDictionary<string, object?> Parameters) statement)
    {
        _sql.Add(statement.Sql.TrimEnd().TrimEnd(';'));
        foreach (var (name, value) in statement.Parameters)
        {
            // A name given twice must have one value; the same name in another case is a second parameter of its
            // own (SQLite's names are exact), with the same value too, since PostgreSQL's are not.
            if (Parameters.Where(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Any(p => !Equals(p.Value, value)))
            {
                throw new InvalidOperationException($"Two statements of one batch give @{name} different values.");
            }

            Parameters[name] = value;
        }
    }
}
