using System.Data.Common;
using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AuditTool.Data;

/// <summary>Why a copy was refused before anything was written (an engine, a target that is not empty).</summary>
public sealed class DatabaseCopyException(string message) : Exception(message);

public sealed record CopiedTable(string Name, long Rows);

/// <param name="Skipped">Tables of the source that this release's schema does not have (an old journal), not copied.</param>
public sealed record DatabaseCopy(IReadOnlyList<CopiedTable> Tables, IReadOnlyList<string> Skipped, TimeSpan Elapsed)
{
    public long RowsOf(string table) => Tables.FirstOrDefault(t => t.Name == table)?.Rows ?? 0;
}

/// <summary>
/// Copies a SQLite database, every table and every row with its id, into an empty PostgreSQL database migrated to the
/// same schema (the <c>copy-database</c> verb): read in one snapshot of the source, written in one transaction on the
/// target (binary COPY per table, parents before children), identity counters moved past the copied ids. The audit log
/// keeps its ids, so its order and hash chain are those of the source. Counts are compared after the commit.
/// </summary>
public static class DatabaseCopier
{
    private const string MigrationJournal = "VersionInfo";

    /// <summary>Refuses a target that already holds tables: the copy never merges into, or overwrites, a database.</summary>
    public static async Task RequireEmptyAsync(ConnectionFactory target)
    {
        if (target.Engine != DatabaseEngine.Postgres)
        {
            throw new DatabaseCopyException("the copy goes to a PostgreSQL database: give --to postgresql://user@host:port/database.");
        }

        using var connection = await target.OpenAsync();
        var tables = (await connection.QueryAsync<string>("""
            SELECT table_name FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name
            """)).ToList();
        if (tables.Count > 0)
        {
            throw new DatabaseCopyException(
                $"{target.Target} is not empty (it has {tables.Count} table{(tables.Count == 1 ? "" : "s")}, {string.Join(", ", tables.Take(3))}" +
                $"{(tables.Count > 3 ? ", ..." : "")}); copy only into a new, empty database, so nothing there is overwritten or mixed with this one.");
        }
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="target"/>, both already migrated to this release.</summary>
    public static async Task<DatabaseCopy> CopyAsync(ConnectionFactory source, ConnectionFactory target, TextWriter? progress = null)
    {
        if (source.Engine != DatabaseEngine.Sqlite)
        {
            throw new DatabaseCopyException("the copy is made from a SQLite database (--db FILE).");
        }

        var stopwatch = Stopwatch.StartNew();
        using var from = (SqliteConnection)await source.OpenAsync();
        // One read transaction: every table is read from the same snapshot, whatever else writes meanwhile.
        using var snapshot = from.BeginTransaction(deferred: true);
        var sourceTables = (await from.QueryAsync<string>(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> @MigrationJournal ORDER BY name",
                new { MigrationJournal }, snapshot)).ToList();

        using var to = (NpgsqlConnection)await target.OpenAsync();
        using var tx = await to.BeginTransactionAsync();
        var columns = (await to.QueryAsync<(string Table, string Column, string Type, string Identity)>("""
                SELECT table_name, column_name, data_type, is_identity FROM information_schema.columns
                WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position
                """, transaction: tx))
            .GroupBy(c => c.Table)
            .ToDictionary(g => g.Key, g => g.ToList());
        var skipped = sourceTables.Where(t => !columns.ContainsKey(t)).ToList();
        var tables = Ordered(sourceTables.Where(columns.ContainsKey).ToList(),
            await to.QueryAsync<(string Child, string Parent)>("""
                SELECT c.relname, p.relname FROM pg_constraint k
                JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE k.contype = 'f' AND n.nspname = current_schema()
                """, transaction: tx));

        // The schema's own triggers (published templates and the audit log refuse changes) would refuse the copy's
        // inserts; foreign keys stay checked. They are on again before the commit.
        var withTriggers = (await to.QueryAsync<string>("""
            SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND n.nspname = current_schema()
            """, transaction: tx)).ToList();
        foreach (var table in withTriggers)
        {
            await to.ExecuteAsync($"ALTER TABLE {Quote(table)} DISABLE TRIGGER USER", transaction: tx);
        }

        // Rows a migration wrote into the new database (children first): the source has its own copy of them.
        foreach (var table in Enumerable.Reverse(tables))
        {
            await to.ExecuteAsync($"DELETE FROM {Quote(table)}", transaction: tx);
        }

        var copied = new List<CopiedTable>();
        foreach (var table in tables)
        {
            var targetColumns = columns[table];
            var sourceColumns = (await from.QueryAsync<string>("SELECT name FROM pragma_table_info(@table)", new { table }, snapshot)).ToHashSet();
            var shared = targetColumns.Where(c => sourceColumns.Contains(c.Column)).ToList();
            var missing = sourceColumns.Except(shared.Select(c => c.Column)).ToList();
            if (missing.Count > 0)
            {
                throw new DatabaseCopyException($"{table} has columns the PostgreSQL schema does not ({string.Join(", ", missing)}): both must be migrated to this release first.");
            }

            using var read = from.CreateCommand();
            read.Transaction = snapshot;
            read.CommandText = $"SELECT {string.Join(", ", shared.Select(c => Quote(c.Column)))} FROM {Quote(table)}" +
                (shared.Any(c => c.Column == "id") ? " ORDER BY id" : "");
            using var reader = await read.ExecuteReaderAsync();
            // The target is empty and this transaction its only user: each table's references are checked once, after
            // its rows are in (the tables come in an order where what they refer to is already there).
            var rows = await BulkInsert.WriteAsync(to, tx, table, shared.Select(c => c.Column).ToList(), Rows(reader, shared.Select(c => c.Type).ToList()),
                checkReferencesOnce: true);
            copied.Add(new CopiedTable(table, rows));
            progress?.WriteLine($"  {table}: {rows:N0} rows");
        }

        foreach (var table in withTriggers)
        {
            await to.ExecuteAsync($"ALTER TABLE {Quote(table)} ENABLE TRIGGER USER", transaction: tx);
        }

        foreach (var (table, column) in columns.SelectMany(t => t.Value.Where(c => c.Identity == "YES").Select(c => (t.Key, c.Column))))
        {
            await to.ExecuteAsync($"""
                SELECT setval(pg_get_serial_sequence(@qualified, @column), COALESCE(MAX({Quote(column)}), 0) + 1, false) FROM {Quote(table)}
                """, new { qualified = Quote(table), column }, tx);
        }

        await tx.CommitAsync();
        stopwatch.Stop();
        return new DatabaseCopy(copied, skipped, stopwatch.Elapsed);
    }

    /// <summary>Every table's row count on both sides; the tables whose counts differ.</summary>
    public static async Task<IReadOnlyList<string>> CompareCountsAsync(ConnectionFactory source, ConnectionFactory target, IEnumerable<string> tables)
    {
        using var from = await source.OpenAsync();
        using var to = await target.OpenAsync();
        var different = new List<string>();
        foreach (var table in tables)
        {
            var a = await from.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {Quote(table)}");
            var b = await to.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {Quote(table)}");
            if (a != b)
            {
                different.Add($"{table} ({a:N0} rows here, {b:N0} there)");
            }
        }

        return different;
    }

    private static IEnumerable<object?[]> Rows(DbDataReader reader, IReadOnlyList<string> types)
    {
        while (reader.Read())
        {
            var row = new object?[types.Count];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : types[i] switch
                {
                    "bigint" or "integer" or "smallint" => Convert.ToInt64(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture),
                    "double precision" or "real" or "numeric" => Convert.ToDouble(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture),
                    "bytea" => reader.GetValue(i) as byte[] ?? System.Text.Encoding.UTF8.GetBytes(reader.GetString(i)),
                    _ => reader.GetValue(i) is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes)
                        : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture),
                };
            }

            yield return row;
        }
    }

    /// <summary>Parents before children (a table's own references to itself are satisfied by copying in id order).</summary>
    private static List<string> Ordered(List<string> tables, IEnumerable<(string Child, string Parent)> references)
    {
        var parents = tables.ToDictionary(t => t, _ => new HashSet<string>());
        foreach (var (child, parent) in references)
        {
            if (child != parent && parents.ContainsKey(child) && parents.ContainsKey(parent))
            {
                parents[child].Add(parent);
            }
        }

        var ordered = new List<string>();
        var done = new HashSet<string>();
        while (ordered.Count < tables.Count)
        {
            var ready = tables.Where(t => !done.Contains(t) && parents[t].All(done.Contains)).ToList();
            if (ready.Count == 0)
            {
                throw new DatabaseCopyException($"the tables {string.Join(", ", tables.Where(t => !done.Contains(t)))} refer to each other in a circle.");
            }

            ordered.AddRange(ready);
            done.UnionWith(ready);
        }

        return ordered;
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
