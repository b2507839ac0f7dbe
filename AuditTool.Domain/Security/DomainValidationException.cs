namespace AuditTool.Domain.Security;

/// <summary>Bad input: every problem in plain English; nothing was changed.</summary>
public sealed class DomainValidationException : Exception
{
    public DomainValidationException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    public DomainValidationException(string problem) : this([problem])
    {
    }

    public IReadOnlyList<string> Problems { get; }

    /// <summary>
    /// Set when the refusal is lifted by the caller confirming (a date in the past): the question to ask, after which
    /// the same call is made again with the confirmation.
    /// </summary>
    public string? ConfirmationQuestion { get; init; }
}
