namespace AuditTool.Domain.Accounts;

public static class PasswordRules
{
    public const int MinimumLength = 12;
    public const int MaximumLength = 256;

    /// <summary>Returns the problem with a new password in plain English, or null when it is acceptable.</summary>
    public static string? Check(string? password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinimumLength)
        {
            return $"A password must be at least {MinimumLength} characters long.";
        }

        if (password.Length > MaximumLength)
        {
            return $"A password must be at most {MaximumLength} characters long.";
        }

        if (password.Distinct().Count() < 4)
        {
            return "That password is too easy to guess: use more different characters.";
        }

        return null;
    }
}
