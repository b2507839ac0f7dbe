using System.Data;
using AuditTool.Domain.Logging;
using FluentMigrator;

namespace AuditTool.Data.Migrations;

/// <summary>
/// The audit log becomes a hash chain. The columns come from the scripts; the lines already written are sealed here,
/// in this migration's transaction, in the order they were written (the append-only guard is lifted for that alone).
/// </summary>
[Migration(14, "Audit log lines carry a hash chained to the line before; checks of the chain are recorded")]
public sealed class M0014_AuditLogChain() : ScriptMigration("0014_audit_log_chain")
{
    public override void Up()
    {
        base.Up();
        Execute.WithConnection(Seal);
    }

    private static void Seal(IDbConnection connection, IDbTransaction transaction)
    {
        var sqlite = connection.GetType().Name.StartsWith("Sqlite", StringComparison.Ordinal);
        Run(connection, transaction, sqlite ? "DROP TRIGGER audit_log_no_update" : "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update");
        var lines = new List<ChainedLine>();
        using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = """
                SELECT id, at_utc, user_id, user_name, action, entity, entity_id, old_values, new_values, audit_id, case_ref,
                       agency_key, case_content
                FROM audit_log ORDER BY id
                """;
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
                long? Number(int i) => reader.IsDBNull(i) ? null : Convert.ToInt64(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
                lines.Add(new ChainedLine(Number(0)!.Value, reader.GetString(1), Number(2), reader.GetString(3), reader.GetString(4),
                    reader.GetString(5), Text(6), Text(7), Text(8), Number(9), Text(10), Text(11), Number(12) == 1, null, null));
            }
        }

        var previous = AuditLogChain.Origin;
        using (var update = connection.CreateCommand())
        {
            update.Transaction = transaction;
            update.CommandText = "UPDATE audit_log SET prev_hash = @prev, hash = @hash WHERE id = @id";
            var prev = Parameter(update, "@prev");
            var hash = Parameter(update, "@hash");
            var id = Parameter(update, "@id");
            foreach (var line in lines)
            {
                var next = AuditLogChain.Hash(previous, line);
                prev.Value = previous;
                hash.Value = next;
                id.Value = line.Id;
                update.ExecuteNonQuery();
                previous = next;
            }
        }

        Run(connection, transaction, sqlite
            ? "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
            : "ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update");
    }

    private static IDbDataParameter Parameter(IDbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private static void Run(IDbConnection connection, IDbTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
