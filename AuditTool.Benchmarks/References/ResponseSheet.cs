using System.Data.Common;
using System.Globalization;
using AuditTool.Data;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Templates;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Benchmarks.References;

/// <summary>A cell of the Responses sheet: text, a number, or empty.</summary>
public readonly record struct SheetCell(string? Text, double? Number);

/// <summary>
/// The cells of the product's Responses sheet, for the two reference writers: the rows come from the product's own
/// query (ResponseSource.Sql), and answers are turned into label and score exactly as
/// XlsxWorkbookWriter.WriteAnswer does, so the references write the same cells and differ from the product only in
/// how they write them.
/// </summary>
public sealed class ResponseSheet
{
    public static readonly string[] Headers = ["Case reference", "Agency", "Status", "Question key", "Question", "Answer", "Score", "Evidence"];

    // The product's own query, so the references read exactly the rows the product writes.
    private const string Sql = AuditTool.Data.Export.ResponseSource.Sql;

    private readonly ConnectionFactory _factory;
    private readonly long _auditId;
    private readonly TemplateDefinition _template;
    private readonly Dictionary<string, QuestionDefinition> _questions;
    private readonly Dictionary<long, string> _agencyNames;

    private ResponseSheet(ConnectionFactory factory, long auditId, TemplateDefinition template, Dictionary<long, string> agencyNames)
    {
        _factory = factory;
        _auditId = auditId;
        _template = template;
        _questions = template.Questions.ToDictionary(q => q.Key);
        _agencyNames = agencyNames;
    }

    public static async Task<ResponseSheet> LoadAsync(IServiceProvider services, long auditId)
    {
        var audit = await services.GetRequiredService<IAuditRepository>().GetByIdAsync(auditId)
            ?? throw new InvalidOperationException($"Audit {auditId} does not exist.");
        var template = await services.GetRequiredService<ITemplateRepository>().GetVersionAsync(audit.TemplateVersionId)
            ?? throw new InvalidOperationException($"Audit {auditId} has no template.");
        var agencies = await services.GetRequiredService<IAgencyRepository>().GetAllAsync();
        return new ResponseSheet(services.GetRequiredService<ConnectionFactory>(), auditId, template, agencies.ToDictionary(a => a.Id, a => a.Name));
    }

    /// <summary>The rows in sheet order; the same array is filled for every row, so read it before asking for the next.</summary>
    public IEnumerable<SheetCell[]> Rows()
    {
        using var connection = _factory.Open();
        using var command = Command(connection);
        using var reader = command.ExecuteReader();
        var cells = new SheetCell[Headers.Length];
        while (reader.Read())
        {
            var agencyId = reader.GetInt64(1);
            var questionKey = reader.GetString(3);
            _questions.TryGetValue(questionKey, out var question);
            cells[0] = Text(reader.GetString(0));
            cells[1] = Text(_agencyNames.TryGetValue(agencyId, out var name) ? name : $"Agency {agencyId}");
            cells[2] = Text(ReturnStatuses.Label(reader.GetString(2)));
            cells[3] = Text(questionKey);
            cells[4] = Text(question?.Text ?? questionKey);
            Answer(cells, question, reader.IsDBNull(4) ? null : reader.GetString(4));
            cells[7] = Text(reader.IsDBNull(5) ? null : reader.GetString(5));
            yield return cells;
        }
    }

    private DbCommand Command(DbConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = Sql;
        // The query names @auditId and @agencyId (ResponseSource.Command binds them the same way): typed as 64-bit
        // integers, the null agency too, so that PostgreSQL knows what "@agencyId IS NULL" compares.
        var audit = command.CreateParameter();
        audit.ParameterName = "@auditId";
        audit.DbType = System.Data.DbType.Int64;
        audit.Value = _auditId;
        command.Parameters.Add(audit);
        var agency = command.CreateParameter();
        agency.ParameterName = "@agencyId";
        agency.DbType = System.Data.DbType.Int64;
        agency.Value = DBNull.Value;
        command.Parameters.Add(agency);
        return command;
    }

    // As XlsxWorkbookWriter.WriteAnswer: columns 6 (answer) and 7 (score).
    private void Answer(SheetCell[] cells, QuestionDefinition? question, string? value)
    {
        cells[6] = default;
        if (value is null || question is null)
        {
            cells[5] = Text(value);
            return;
        }

        switch (question.Type)
        {
            case QuestionType.Scale or QuestionType.Choice:
                var option = _template.OptionsOf(question).FirstOrDefault(o => o.Value == value);
                cells[5] = Text(option?.Label ?? value);
                cells[6] = Number(option?.Score);
                break;
            case QuestionType.MultiChoice:
                var options = _template.OptionsOf(question);
                var labels = (Answers.Decode(QuestionType.MultiChoice, value) as IEnumerable<string> ?? [])
                    .Select(v => options.FirstOrDefault(o => o.Value == v)?.Label ?? v);
                cells[5] = Text(string.Join("; ", labels));
                break;
            case QuestionType.Number when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number):
                cells[5] = Number(number);
                break;
            default:
                cells[5] = Text(value);
                break;
        }
    }

    private static SheetCell Text(string? text) => string.IsNullOrEmpty(text) ? default : new SheetCell(text, null);

    private static SheetCell Number(double? value) => value is { } v && double.IsFinite(v) ? new SheetCell(null, v) : default;
}
