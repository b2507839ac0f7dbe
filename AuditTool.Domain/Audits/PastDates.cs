using System.Globalization;
using AuditTool.Domain.Security;

namespace AuditTool.Domain.Audits;

/// <summary>
/// A deadline or due date before today (the UTC date) is most often a slip of the date picker: it is refused unless the
/// caller confirms it, because auditors are told the deadline and an action due in the past is overdue at once.
/// </summary>
public static class PastDates
{
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Refuses <paramref name="date"/> when it is before <paramref name="today"/> and not confirmed.</summary>
    /// <param name="what">What the date is, as in "The deadline 2 December 2024 is in the past": "deadline", "due date".</param>
    public static void Check(string what, DateOnly? date, DateOnly today, bool confirmed)
    {
        if (date is not { } d || d >= today || confirmed)
        {
            return;
        }

        var words = $"The {what} {Format(d)} is in the past.";
        throw new DomainValidationException($"{words} Confirm the date to use it anyway.") { ConfirmationQuestion = $"{words} Use it anyway?" };
    }

    public static string Format(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"));
}
