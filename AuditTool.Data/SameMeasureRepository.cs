using AuditTool.Domain.Findings;
using AuditTool.Domain.Logging;
using Dapper;

namespace AuditTool.Data;

/// <summary>The scrutineers' same-measure confirmations; each change with its log line in one write transaction.</summary>
public sealed class SameMeasureRepository(ConnectionFactory factory) : ISameMeasureRepository
{
    public async Task<IReadOnlyList<SameMeasure>> GetAllAsync()
    {
        using var connection = await factory.OpenAsync();
        var rows = await connection.QueryAsync<(string Key, string Template, string Other, string By, string At)>(
            "SELECT question_key, template_key, other_template_key, confirmed_by_name, confirmed_utc FROM same_measures ORDER BY id");
        return rows.Select(r => new SameMeasure(r.Key, r.Template, r.Other, r.By, Utc.Parse(r.At))).ToList();
    }

    public async Task<bool> ConfirmAsync(SameMeasure measure, AuditLogEntry log)
    {
        using var connection = await factory.OpenAsync();
        using var tx = await factory.BeginWriteAsync(connection);
        var added = await connection.ExecuteAsync("""
            INSERT INTO same_measures (question_key, template_key, other_template_key, confirmed_by_name, confirmed_utc)
            SELECT @QuestionKey, @TemplateKey, @OtherTemplateKey, @ConfirmedBy, @at
            WHERE NOT EXISTS (SELECT 1 FROM same_measures
                              WHERE question_key = @QuestionKey AND template_key = @TemplateKey AND other_template_key = @OtherTemplateKey)
            """, new { measure.QuestionKey, measure.TemplateKey, measure.OtherTemplateKey, measure.ConfirmedBy, at = Utc.Format(measure.ConfirmedUtc) }, tx);
        if (added != 1)
        {
            return false;
        }

        await AuditLogWriter.WriteAsync(connection, tx, log);
        await tx.CommitAsync();
        return true;
    }

    public Task<bool> WithdrawAsync(string questionKey, string templateKey, string otherTemplateKey, AuditLogEntry log) =>
        AuditLogWriter.ChangeOneRowAsync(factory,
            "DELETE FROM same_measures WHERE question_key = @questionKey AND template_key = @templateKey AND other_template_key = @otherTemplateKey",
            new { questionKey, templateKey, otherTemplateKey }, log);
}
