namespace AuditTool.Domain.Sampling;

/// <summary>A cohort file or sample criteria that cannot be used: every problem in plain English.</summary>
public sealed class CohortException : Exception
{
    public CohortException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    public CohortException(string problem) : this([problem])
    {
    }

    public IReadOnlyList<string> Problems { get; }
}
