namespace AuditTool.Domain.Aggregation;

/// <summary>The audit's thresholds for proposing strengths and development areas (PRODUCT.md, "Figures"), and the
/// reliability figure below which alpha or kappa is flagged.</summary>
public sealed record AuditThresholds(double Strength = 0.80, double Development = 0.60, int MinimumCount = 5, double Reliability = 0.67);

/// <summary>One agency's return for one case, as the aggregation reads it.</summary>
/// <param name="AgencyKind">The agency's kind (police, health, ...): decides which sections the return shows.</param>
/// <param name="Answers">By question key: the option value for scale and choice, a list of option values for
/// multichoice, and the entered text for number, date and text questions.</param>
public sealed record ReturnData(
    long ReturnId,
    string CaseRef,
    long AgencyId,
    string AgencyKind,
    bool Submitted,
    IReadOnlyDictionary<string, object?> Answers);

/// <summary>A moderated judgement of one question for one case. For multichoice the value lists the selected
/// option values separated by commas.</summary>
public sealed record ModerationData(string CaseRef, string QuestionKey, string Value);
