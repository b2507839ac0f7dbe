using System.Runtime.CompilerServices;
using AuditTool.Domain.Agencies;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Exports;

/// <summary>
/// The answers of an audit as its returns show them (<see cref="Answers.Shown{T}"/>): an answer or note hidden by its
/// condition is left out of the Responses sheet. The source yields each return's answers together (ordered by case,
/// then agency), so one return is held at a time and memory does not grow with the audit.
/// </summary>
public sealed class ShownResponses(IResponseSource source, TemplateDefinition template, IReadOnlyDictionary<long, Agency> agencies) : IResponseSource
{
    /// <summary>How many rows the last read yielded.</summary>
    public int Yielded { get; private set; }

    public async IAsyncEnumerable<ResponseRow> ReadAsync(long auditId, long? agencyId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Yielded = 0;
        var one = new List<ResponseRow>();
        await foreach (var row in source.ReadAsync(auditId, agencyId, cancellationToken))
        {
            if (one.Count > 0 && (one[0].AgencyId != row.AgencyId || one[0].CaseRef != row.CaseRef))
            {
                foreach (var shown in Shown(one))
                {
                    Yielded++;
                    yield return shown;
                }

                one.Clear();
            }

            one.Add(row);
        }

        foreach (var shown in Shown(one))
        {
            Yielded++;
            yield return shown;
        }
    }

    public Task<int> CountAsync(long auditId, long? agencyId) => source.CountAsync(auditId, agencyId);

    public Task<IReadOnlyList<ModerationGradeRow>> GetModeratedGradesAsync(long auditId, long? agencyId) =>
        source.GetModeratedGradesAsync(auditId, agencyId);

    private IReadOnlyList<ResponseRow> Shown(List<ResponseRow> rows) =>
        rows.Count == 0 ? rows : Answers.Shown(template, agencies.TryGetValue(rows[0].AgencyId, out var a) ? a.Kind : string.Empty, rows, r => r.QuestionKey, r => r.Value);
}
