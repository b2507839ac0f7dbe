namespace AuditTool.Domain.Audits;

public static class AuditKinds
{
    public const string DeepDive = "deep-dive";
    public const string MultiAgency = "multi-agency";
    public const string FollowUp = "follow-up";

    public static IReadOnlyList<string> All { get; } = [DeepDive, MultiAgency, FollowUp];

    public static string Label(string kind) => kind switch
    {
        DeepDive => "Deep dive",
        MultiAgency => "Multi-agency audit",
        FollowUp => "Follow-up audit",
        _ => kind,
    };
}

public static class AuditStatuses
{
    public const string Planning = "planning";
    public const string Open = "open";
    public const string Moderation = "moderation";
    public const string Published = "published";
    public const string Closed = "closed";

    public static IReadOnlyList<string> All { get; } = [Planning, Open, Moderation, Published, Closed];

    public static string Label(string status) => status switch
    {
        Planning => "Planning",
        Open => "Open for returns",
        Moderation => "Moderation",
        Published => "Published",
        Closed => "Closed",
        _ => status,
    };

    /// <summary>The cycle moves forward one step at a time; moderation may go back to open to let returns be finished.</summary>
    public static bool CanMove(string from, string to) => (from, to) switch
    {
        (Planning, Open) => true,
        (Open, Moderation) => true,
        (Moderation, Open) => true,
        (Moderation, Published) => true,
        (Published, Closed) => true,
        _ => false,
    };
}

public static class ReturnStatuses
{
    public const string NotStarted = "not-started";
    public const string InProgress = "in-progress";
    public const string Submitted = "submitted";
    public const string Returned = "returned";

    public static IReadOnlyList<string> All { get; } = [NotStarted, InProgress, Submitted, Returned];

    /// <summary>A return can be answered until it is submitted, and again once it is returned for amendment.</summary>
    public static bool IsEditable(string status) => status != Submitted;

    public static string Label(string status) => status switch
    {
        NotStarted => "Not started",
        InProgress => "In progress",
        Submitted => "Submitted",
        Returned => "Returned for amendment",
        _ => status,
    };
}

public sealed record AuditSummary(long Id, string Title, string Kind, string Status, string TemplateTitle, DateOnly? Deadline,
    int Cases, int Returns, int Submitted, DateTimeOffset? PublishedUtc);

public sealed record ReturnSummary(long Id, long AuditId, string AuditTitle, string CaseRef, string AgencyName, string Status,
    DateOnly? Deadline, string AuditStatus = AuditStatuses.Open)
{
    /// <summary>Work still to do: a return of an open audit not yet submitted, or one returned for amendment.</summary>
    public bool IsToDo => Status == ReturnStatuses.Returned || (AuditStatus == AuditStatuses.Open && Status != ReturnStatuses.Submitted);

    /// <summary>To do and past the audit's deadline (the deadline day itself is not overdue).</summary>
    public bool IsOverdue(DateOnly today) => IsToDo && Deadline is { } d && d < today;
}

/// <summary>Read side of audits for start pages; the planning and completion repositories come with the audits issue.</summary>
public interface IAuditQueries
{
    Task<IReadOnlyList<AuditSummary>> GetSummariesAsync();

    Task<IReadOnlyList<AuditSummary>> GetPublishedAsync();

    /// <summary>Returns of audits that are open (or later) for one agency.</summary>
    Task<IReadOnlyList<ReturnSummary>> GetReturnsForAgencyAsync(long agencyId);
}
