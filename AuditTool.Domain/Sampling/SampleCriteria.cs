namespace AuditTool.Domain.Sampling;

public enum CriterionOperator
{
    /// <summary>One value, compared ignoring case and surrounding spaces.</summary>
    Equals,

    /// <summary>One or more values; the cell equals any of them.</summary>
    In,

    /// <summary>One number; the cell is a number no greater than it.</summary>
    AtMost,

    /// <summary>One number; the cell is a number no less than it.</summary>
    AtLeast,
}

/// <summary>One condition on one cohort attribute.</summary>
public sealed record Criterion(string Attribute, CriterionOperator Operator, IReadOnlyList<string> Values);

/// <summary>Conditions joined by OR: a case meets the group when it meets any of them.</summary>
public sealed record CriteriaGroup(IReadOnlyList<Criterion> AnyOf);

/// <summary>
/// Groups joined by AND: a case is eligible when it meets every group. This conjunctive form is what a form can build:
/// e.g. (attendance at most 70 OR suspension days at least 5) AND send equals "SEN support".
/// </summary>
public sealed record SampleCriteria(IReadOnlyList<CriteriaGroup> AllOf)
{
    /// <summary>No groups: every case in the cohort is eligible.</summary>
    public static SampleCriteria None { get; } = new([]);
}
