using System.Text.Json;
using System.Text.Json.Serialization;
using AuditTool.Domain.Aggregation;
using Dapper;

namespace AuditTool.Data;

/// <summary>Published audits' figures as JSON (numbers round-trip exactly), and the audits' change counters.</summary>
public sealed class FiguresStore(ConnectionFactory factory) : IFiguresStore
{
    public static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public async Task<StoredFigures?> GetAsync(long auditId)
    {
        using var connection = await factory.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<(string Figures, string? Baseline, string? Title, long Changes, string At)?>(
            "SELECT figures_json, baseline_json, baseline_title, changes, computed_utc FROM audit_figures WHERE audit_id = @auditId", new { auditId });
        return row is { } r ? Read(r.Figures, r.Baseline, r.Title, r.Changes, r.At) : null;
    }

    public async Task<long> GetChangesAsync(long auditId)
    {
        using var connection = await factory.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT changes FROM audits WHERE id = @auditId", new { auditId });
    }

    public async Task SaveAsync(long auditId, StoredFigures figures)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        // New kept figures move the audit's counter: every server drops the figures it held for it.
        await CountChangeAsync(connection, tx, auditId);
        var changes = await connection.ExecuteScalarAsync<long>("SELECT changes FROM audits WHERE id = @auditId", new { auditId }, tx);
        await WriteAsync(connection, tx, auditId, figures with { Changes = changes });
        await tx.CommitAsync();
    }

    /// <summary>Inside a caller's transaction (publishing writes the figures with the audit's new status).</summary>
    internal static Task WriteAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, long auditId, StoredFigures figures) =>
        connection.ExecuteAsync("""
            INSERT INTO audit_figures (audit_id, figures_json, baseline_json, baseline_title, changes, computed_utc)
            VALUES (@auditId, @figures, @baseline, @BaselineTitle, @Changes, @at)
            ON CONFLICT (audit_id) DO UPDATE SET figures_json = excluded.figures_json, baseline_json = excluded.baseline_json,
                baseline_title = excluded.baseline_title, changes = excluded.changes, computed_utc = excluded.computed_utc
            """, new
            {
                auditId,
                figures = JsonSerializer.Serialize(figures.Figures, Json),
                baseline = figures.Baseline is null ? null : JsonSerializer.Serialize(figures.Baseline, Json),
                figures.BaselineTitle,
                figures.Changes,
                at = Utc.Format(figures.ComputedUtc),
            }, tx);

    /// <summary>Adds one to an audit's change counter, inside the caller's transaction.</summary>
    internal static Task CountChangeAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, long auditId) =>
        connection.ExecuteAsync(CountChangeSql, new { auditId }, tx);

    /// <summary>The audit's change counter moves on (parameter <c>@auditId</c>).</summary>
    internal const string CountChangeSql = "UPDATE audits SET changes = changes + 1 WHERE id = @auditId";

    private static StoredFigures Read(string figures, string? baseline, string? title, long changes, string at) => new(
        JsonSerializer.Deserialize<AuditFigures>(figures, Json) ?? throw new InvalidDataException("Stored figures are empty."),
        baseline is null ? null : JsonSerializer.Deserialize<BaselineComparison>(baseline, Json),
        title, changes, Utc.Parse(at));
}
