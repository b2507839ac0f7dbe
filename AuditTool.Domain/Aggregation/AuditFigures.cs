using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Aggregation;

public enum Classification
{
    Strength,
    DevelopmentArea,
    Mixed,
    TooFewAnswers,

    /// <summary>An option question none of whose options judges practice (no positive or negative option, "na" aside),
    /// e.g. "SEND status": it describes the child, so it is never a strength or a development area.</summary>
    Descriptive,

    /// <summary>A number, date or text question: it has no rate.</summary>
    NoRate,
}

/// <param name="Share">Counted answers choosing the option / counted answers (0 when nothing counted). For
/// multichoice the shares of a question can add up to more than 1.</param>
public sealed record OptionFigure(string Value, string Label, int Count, double Share);

/// <param name="Counted">Answers that count; for number, date and text questions, the answered returns.</param>
/// <param name="NotApplicable">Shown, submitted answers of "na" (and multichoice answers holding only "na").</param>
/// <param name="PositiveRate">Positive / counted; null when nothing counted or the question has no rate.</param>
/// <param name="Options">Every option the question offers except "na", in template order; empty without options.</param>
public sealed record QuestionFigures(
    string Key,
    string SectionKey,
    string Text,
    IReadOnlyList<string> Themes,
    double Weight,
    QuestionType Type,
    int Counted,
    int Positive,
    int NotApplicable,
    double? PositiveRate,
    IReadOnlyList<OptionFigure> Options,
    Classification Classification);

/// <param name="QuestionKeys">The theme's questions that carry its rate: rated, non-descriptive, in template order.</param>
/// <param name="Rate">WeightedPositive / WeightedCounted; null when WeightedCounted is 0.</param>
public sealed record ThemeFigures(
    string Theme,
    IReadOnlyList<string> QuestionKeys,
    double WeightedCounted,
    double WeightedPositive,
    double? Rate);

/// <param name="Returns">All the agency's returns, submitted or not.</param>
/// <param name="OverallRate">Sum of positive answers / sum of counted answers over every rated, non-descriptive
/// question, unweighted (each counted answer weighs the same); null when nothing counted.</param>
public sealed record AgencyFigures(
    long AgencyId,
    int Returns,
    int Submitted,
    IReadOnlyList<QuestionFigures> Questions,
    IReadOnlyList<ThemeFigures> Themes,
    double? OverallRate);

/// <param name="Counted">Counted answers over every rated, non-descriptive question of the case's returns.</param>
public sealed record CaseFigures(string CaseRef, int Returns, int Submitted, int Counted, int Positive, double? PositiveRate);

/// <param name="Agreement">Agreeing / pairs; null without pairs.</param>
/// <param name="ScoredPairs">Pairs where both the agency's and the moderated value have a score.</param>
/// <param name="MeanSignedDifference">Mean of (agency score - moderated score) over the scored pairs: above 0 means
/// agencies grade more generously than moderation; null without scored pairs.</param>
public sealed record AgreementFigures(int Pairs, int Agreeing, double? Agreement, int ScoredPairs, double? MeanSignedDifference);

/// <param name="ByAgency">By agency id, only agencies with at least one pair.</param>
public sealed record ModerationAgreement(AgreementFigures Overall, IReadOnlyDictionary<long, AgreementFigures> ByAgency);

/// <param name="OverallRate">As <see cref="AgencyFigures.OverallRate"/>, over every return.</param>
public sealed record AuditFigures(
    IReadOnlyList<QuestionFigures> Questions,
    IReadOnlyList<ThemeFigures> Themes,
    IReadOnlyList<AgencyFigures> Agencies,
    IReadOnlyList<CaseFigures> Cases,
    ModerationAgreement Agreement,
    int Returns,
    int SubmittedReturns,
    double? OverallRate)
{
    /// <summary>The reliability of every graded question, in template order; null unless the aggregation was asked for it.</summary>
    public IReadOnlyList<QuestionReliability>? Reliability { get; init; }
}

/// <param name="ChangePoints">(now - baseline) x 100, in percentage points; null when either rate is null.</param>
public sealed record ChangeFigure(string Key, double? BaselineRate, double? NowRate, double? ChangePoints);

public sealed record BaselineComparison(IReadOnlyList<ChangeFigure> Questions, IReadOnlyList<ChangeFigure> Themes);
