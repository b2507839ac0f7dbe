namespace AuditTool.Web.Components.Pages.Concerns;

/// <summary>How long ago, in words: "40 minutes", "5 hours", "3 days".</summary>
public static class ConcernAge
{
    public static string Text(DateTimeOffset from, DateTimeOffset now)
    {
        var age = now - from;
        if (age < TimeSpan.FromHours(1))
        {
            var minutes = Math.Max(0, (int)age.TotalMinutes);
            return minutes == 1 ? "1 minute" : $"{minutes} minutes";
        }

        if (age < TimeSpan.FromDays(2))
        {
            var hours = (int)age.TotalHours;
            return hours == 1 ? "1 hour" : $"{hours} hours";
        }

        return $"{(int)age.TotalDays} days";
    }
}
