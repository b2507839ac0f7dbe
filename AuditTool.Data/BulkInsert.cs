using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace AuditTool.Data;

/// <summary>
/// Many rows into one table inside the caller's transaction: PostgreSQL's binary <c>COPY ... FROM STDIN</c> (one
/// stream, no statement per row), SQLite's one prepared INSERT run per row (already as fast as SQLite writes).
/// Values are <see cref="long"/>, <see cref="int"/>, <see cref="double"/>, <see cref="string"/>, byte arrays or null:
/// the column types this schema uses (BIGINT, DOUBLE PRECISION, TEXT, BYTEA).
/// </summary>
internal static class BulkInsert
{
    /// <param name="table">A table of this schema (never user input).</param>
    /// <param name="columns">Its columns, in the order of each row's values.</param>
    /// <returns>How many rows were written.</returns>
    public static async Task<long> WriteAsync(DbConnection connection, DbTransaction tx, string table, IReadOnlyList<string> columns,
        IEnumerable<object?[]> rows)
    {
        var columnList = string.Join(", ", columns.Select(Quote));
        if (connection is NpgsqlConnection postgres)
        {
            await using var importer = await postgres.BeginBinaryImportAsync($"COPY {Quote(table)} ({columnList}) FROM STDIN (FORMAT BINARY)");
            long copied = 0;
            foreach (var row in rows)
            {
                await importer.StartRowAsync();
                foreach (var value in row)
                {
                    switch (value)
                    {
                        case null:
                            await importer.WriteNullAsync();
                            break;
                        case long l:
                            await importer.WriteAsync(l, NpgsqlDbType.Bigint);
                            break;
                        case int i:
                            await importer.WriteAsync((long)i, NpgsqlDbType.Bigint);
                            break;
                        case double d:
                            await importer.WriteAsync(d, NpgsqlDbType.Double);
                            break;
                        case string s:
                            await importer.WriteAsync(s, NpgsqlDbType.Text);
                            break;
                        case byte[] b:
                            await importer.WriteAsync(b, NpgsqlDbType.Bytea);
                            break;
                        default:
                            throw new ArgumentException($"{table}: a {value.GetType().Name} value cannot be copied.", nameof(rows));
                    }
                }

                copied++;
            }

            await importer.CompleteAsync();
            return copied;
        }

        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"INSERT INTO {Quote(table)} ({columnList}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
        var parameters = columns.Select((_, i) =>
        {
            var p = command.CreateParameter();
            p.ParameterName = $"@p{i}";
            command.Parameters.Add(p);
            return p;
        }).ToArray();
        command.Prepare();
        long inserted = 0;
        foreach (var row in rows)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = row[i] ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync();
            inserted++;
        }

        return inserted;
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
