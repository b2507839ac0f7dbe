using AuditTool.Domain.Aggregation;
using AuditTool.Domain.Logging;
using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Calibration;

public static class CalibrationStates
{
    public const string Open = "open";
    public const string Closed = "closed";
}

/// <summary>An auditor taking part; <see cref="SubmittedUtc"/> is set once they have finished grading.</summary>
public sealed record CalibrationParticipant(long UserId, string DisplayName, string? AgencyName, DateTimeOffset? SubmittedUtc);

public sealed record CalibrationGrade(long UserId, string QuestionKey, string Value);

public sealed record CalibrationReference(string QuestionKey, string Value);

/// <summary>
/// A calibration exercise as stored: one anonymised case (a published template version and the scrutineer's evidence
/// summary, case content) graded blind by the auditors taking part, with the scrutineer's reference grades.
/// </summary>
public sealed record CalibrationExercise(
    long Id,
    string Title,
    long TemplateVersionId,
    long TemplateId,
    string TemplateKey,
    int TemplateVersion,
    string TemplateTitle,
    string Summary,
    string State,
    string PlannedByName,
    DateTimeOffset PlannedUtc,
    string? ClosedByName,
    DateTimeOffset? ClosedUtc,
    IReadOnlyList<CalibrationParticipant> Participants,
    IReadOnlyList<CalibrationGrade> Grades,
    IReadOnlyList<CalibrationReference> References)
{
    public bool IsOpen => State == CalibrationStates.Open;
}

public sealed record NewCalibration(string Title, long TemplateVersionId, string Summary, IReadOnlyList<long> AuditorIds, long? PlannedBy,
    string PlannedByName, DateTimeOffset PlannedUtc);

/// <summary>What a scrutineer plans: a title, a published template version, the case's evidence summary, the auditors.</summary>
public sealed record CalibrationPlan(string? Title, long TemplateVersionId, string? Summary, IReadOnlyList<long> AuditorIds);

/// <summary>Calibration exercises; each change one guarded statement with its audit log line in one write transaction.</summary>
public interface ICalibrationRepository
{
    Task<long> CreateAsync(NewCalibration exercise, AuditLogEntry log);

    Task<CalibrationExercise?> GetByIdAsync(long id);

    /// <summary>Every exercise, oldest first.</summary>
    Task<IReadOnlyList<CalibrationExercise>> GetAllAsync();

    /// <summary>False when the exercise is closed or the auditor has submitted already.</summary>
    Task<bool> SaveGradeAsync(long exerciseId, long userId, string questionKey, string value, DateTimeOffset now, AuditLogEntry log);

    Task<bool> SubmitAsync(long exerciseId, long userId, DateTimeOffset now, AuditLogEntry log);

    Task<bool> SetReferenceAsync(long exerciseId, string questionKey, string value, string userName, DateTimeOffset now, AuditLogEntry log);

    /// <summary>False when it is closed already.</summary>
    Task<bool> CloseAsync(long exerciseId, long? userId, string userName, DateTimeOffset now, AuditLogEntry log);
}

/// <summary>A graded question of the exercise's template: a scale whose options (but "na") all have scores.</summary>
public sealed record CalibrationQuestion(string Key, string Text, string Guidance, IReadOnlyList<ScaleOption> Options)
{
    public ScaleOption? Option(string? value) => Options.FirstOrDefault(o => o.Value == value);

    /// <summary>The graded questions of a template, in template order.</summary>
    public static IReadOnlyList<CalibrationQuestion> Of(TemplateDefinition template) => template.Questions
        .Where(q => q.Type == QuestionType.Scale)
        .Select(q => (q, options: template.OptionsOf(q).Where(o => o.Value != BuiltInScales.NotApplicable).ToList()))
        .Where(x => x.options.Count > 0 && x.options.All(o => o.Score is not null))
        .Select(x => new CalibrationQuestion(x.q.Key, x.q.Text, x.q.Guidance, x.options))
        .ToList();
}

/// <summary>How an auditor's grade stands against the reference, in words.</summary>
public enum CalibrationAgreement
{
    NoReference,
    NotGraded,
    Agrees,
    Higher,
    Lower,
}

public sealed record CalibrationCell(long UserId, string? Value, string? Label, CalibrationAgreement Agreement)
{
    public string Words => Agreement switch
    {
        CalibrationAgreement.Agrees => "agrees with the reference",
        CalibrationAgreement.Higher => "higher than the reference",
        CalibrationAgreement.Lower => "lower than the reference",
        CalibrationAgreement.NotGraded => "not graded",
        _ => "no reference to compare",
    };
}

/// <param name="Alpha">Ordinal alpha across the auditors on this question: the exercise has one case, so one unit.</param>
public sealed record CalibrationQuestionResult(CalibrationQuestion Question, string? ReferenceValue, string? ReferenceLabel,
    IReadOnlyList<CalibrationCell> Cells, int Agreeing, int Graded, ReliabilityFigure Alpha);

/// <summary>
/// The result of an exercise (PRODUCT.md-style definition in docs/calibration.md): every submitted auditor's grade
/// against the reference per question; Krippendorff's ordinal alpha across the auditors per question (units: the case,
/// one) and overall (units: the graded questions with two or more grades; raters: the auditors; values: the scores).
/// </summary>
public sealed record CalibrationResult(CalibrationExercise Exercise, IReadOnlyList<CalibrationParticipant> Raters,
    IReadOnlyList<CalibrationQuestionResult> Questions, ReliabilityFigure OverallAlpha)
{
    /// <summary>Computes the result from the exercise's submitted grades (grades of auditors who did not submit are left out).</summary>
    public static CalibrationResult Compute(CalibrationExercise exercise, IReadOnlyList<CalibrationQuestion> questions, double threshold)
    {
        var raters = exercise.Participants.Where(p => p.SubmittedUtc is not null).OrderBy(p => p.DisplayName, StringComparer.Ordinal)
            .ThenBy(p => p.UserId).ToList();
        var grades = exercise.Grades.ToDictionary(g => (g.UserId, g.QuestionKey), g => g.Value);
        var references = exercise.References.ToDictionary(r => r.QuestionKey, r => r.Value);
        var results = new List<CalibrationQuestionResult>();
        var overallUnits = new List<IReadOnlyList<double?>>();
        foreach (var q in questions)
        {
            var reference = q.Option(references.GetValueOrDefault(q.Key));
            var cells = raters.Select(r =>
            {
                var option = q.Option(grades.GetValueOrDefault((r.UserId, q.Key)));
                var agreement = option is null ? CalibrationAgreement.NotGraded
                    : reference is null ? CalibrationAgreement.NoReference
                    : option.Score == reference.Score ? CalibrationAgreement.Agrees
                    : option.Score > reference.Score ? CalibrationAgreement.Higher
                    : CalibrationAgreement.Lower;
                return new CalibrationCell(r.UserId, option?.Value, option?.Label, agreement);
            }).ToList();
            var scores = cells.Select(c => q.Option(c.Value)?.Score).ToList();
            overallUnits.Add(scores);
            results.Add(new CalibrationQuestionResult(q, reference?.Value, reference?.Label, cells,
                cells.Count(c => c.Agreement == CalibrationAgreement.Agrees), cells.Count(c => c.Value is not null),
                Figure([scores], threshold)));
        }

        return new CalibrationResult(exercise, raters, results, Figure(overallUnits, threshold));
    }

    /// <summary>The ordinal alpha figure of a units x raters table of scores (null: no grade), through the tool's one
    /// implementation (<see cref="Reliability.AlphaFigure"/>): units with fewer than two grades left out, "too few" below
    /// five units.</summary>
    public static ReliabilityFigure Figure(IReadOnlyList<IReadOnlyList<double?>> units, double threshold)
    {
        var values = units.SelectMany(u => u).OfType<double>().Distinct().Order().ToList();
        var histograms = units.Select(u =>
        {
            var counts = new int[values.Count];
            foreach (var v in u.OfType<double>())
            {
                counts[values.IndexOf(v)]++;
            }

            return counts;
        }).ToList();
        return Reliability.AlphaFigure(histograms, values, threshold);
    }
}

/// <summary>One closed exercise of a template in the alpha-over-time list.</summary>
public sealed record CalibrationHistoryPoint(long ExerciseId, string Title, int TemplateVersion, DateTimeOffset ClosedUtc, int Auditors,
    ReliabilityFigure Alpha);

/// <summary>An exercise in a list, as its reader may see it.</summary>
public sealed record CalibrationSummary(long Id, string Title, string TemplateTitle, int TemplateVersion, string State, DateTimeOffset PlannedUtc,
    DateTimeOffset? ClosedUtc, int Participants, int Submitted, bool SubmittedByMe);

/// <summary>A published template version a scrutineer may choose, and an auditor who may take part.</summary>
public sealed record CalibrationChoices(IReadOnlyList<(long VersionId, string Label, int GradedQuestions)> Versions,
    IReadOnlyList<(long UserId, string Label)> Auditors);

/// <summary>An exercise as its reader sees it: the case and questions; the reader's own grades (an auditor), or every
/// grade and the reference (a scrutineer, or anyone taking part once it is closed).</summary>
public sealed record CalibrationView(CalibrationExercise Exercise, IReadOnlyList<CalibrationQuestion> Questions,
    IReadOnlyDictionary<string, string> MyGrades, bool IsParticipant, bool Submitted, bool CanGrade, bool CanSetReference, bool CanClose,
    IReadOnlyDictionary<string, string> References);
