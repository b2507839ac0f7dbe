using System.Globalization;

namespace AuditTool.Web.Components.Shared;

/// <summary>Counts in words people read: "1 question", "2 questions".</summary>
public static class Plural
{
    public static string Of(int count, string singular, string? plural = null) =>
        $"{count.ToString("N0", PeopleFormat.Culture)} {(count == 1 ? singular : plural ?? singular + "s")}";
}

/// <summary>Dates and times as people in the partnership read them (en-GB), never a machine's round-trip format.</summary>
public static class PeopleFormat
{
    public static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>"2 December 2026".</summary>
    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", Culture);

    /// <summary>"2 Dec 2026, 06:54 UTC": the time a thing happened, in UTC as every time here is stored.</summary>
    public static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("d MMM yyyy, HH:mm", Culture) + " UTC";
}
