using System.Globalization;
using System.Net;
using System.Text;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Findings;

namespace AuditTool.Domain.Notices;

/// <summary>A line of a message's list: its text and the page it links to (a path of the site).</summary>
public sealed record NoticeLine(string Text, string Path);

/// <summary>A message before it is addressed: subject, paragraphs, a list of linked lines, and the page to open.</summary>
public sealed record NoticeContent(string Subject, IReadOnlyList<string> Paragraphs, IReadOnlyList<NoticeLine> Lines, string Path, string PathLabel);

/// <summary>
/// The words of every message: plain text and a simple HTML part saying the same. Only what PRODUCT.md allows in a
/// message goes in: case references, audit titles, agency names, deadlines, the scrutineer's amendment comment, action
/// descriptions and links; never an answer, an evidence note or a person's name (not even the recipient's).
/// </summary>
public static class NoticeComposer
{
    public const string Footer = "This message was sent by AuditTool. It names cases by their reference only: answers and evidence stay in AuditTool.";

    public static NoticeContent Opening(NoticeAudit audit, string agency, IReadOnlyList<NoticeReturn> returns) => new(
        $"Audit open: {Count(returns.Count, "case")} to complete for \"{audit.Title}\"",
        [
            $"The audit \"{audit.Title}\" is open for returns.",
            $"{agency} has {Count(returns.Count, "case")} for you to complete{DeadlineClause(audit)}:",
        ],
        returns.Select(CaseLine).ToList(),
        "/", "Open AuditTool");

    public static NoticeContent Reminder(NoticeAudit audit, string agency, IReadOnlyList<NoticeReturn> returns, DateOnly today)
    {
        var daysLeft = audit.Deadline!.Value.DayNumber - today.DayNumber;
        var when = daysLeft switch
        {
            0 => "today",
            1 => "tomorrow",
            _ => $"in {daysLeft} days",
        };
        return new(
            $"Reminder: {Count(returns.Count, "return")} due {Date(audit.Deadline.Value)} for \"{audit.Title}\"",
            [
                $"The deadline for the audit \"{audit.Title}\" is {Date(audit.Deadline.Value)} ({when}).",
                $"{Count(returns.Count, "return")} from {agency} for you {(returns.Count == 1 ? "is" : "are")} not submitted yet:",
            ],
            returns.Select(CaseLine).ToList(),
            "/", "Open AuditTool");
    }

    public static NoticeContent OverdueReturns(NoticeAudit audit, string agency, IReadOnlyList<NoticeReturn> returns) => new(
        $"Overdue: {Count(returns.Count, "return")} from {agency} for \"{audit.Title}\"",
        [
            $"The deadline for the audit \"{audit.Title}\" was {Date(audit.Deadline!.Value)}.",
            $"{Count(returns.Count, "return")} from {agency} {(returns.Count == 1 ? "is" : "are")} still outstanding:",
        ],
        returns.Select(CaseLine).ToList(),
        "/", "Open AuditTool");

    public static NoticeContent Amendment(NoticeAudit audit, NoticeReturn ret) => new(
        $"Returned for amendment: case {ret.CaseRef} in \"{audit.Title}\"",
        [
            $"The return for case {ret.CaseRef} in the audit \"{audit.Title}\" has been sent back for amendment.",
            "What needs amending:",
            ret.ReturnedComment ?? string.Empty,
            audit.Deadline is { } d ? $"The deadline is {Date(d)}." : string.Empty,
        ],
        [],
        ReturnPath(ret), $"Open the return for case {ret.CaseRef}");

    public static NoticeContent OverdueActions(string agency, IReadOnlyList<NoticeAction> actions) => new(
        $"Overdue: {Count(actions.Count, "action")} owned by {agency}",
        [$"{Count(actions.Count, "action")} owned by {agency} {(actions.Count == 1 ? "is" : "are")} past {(actions.Count == 1 ? "its" : "their")} due date:"],
        actions.Select(a => new NoticeLine(
            $"{a.Description} (audit \"{a.AuditTitle}\", due {Date(a.DueDate)}, {ActionStatuses.Label(a.Status).ToLowerInvariant()})", "/actions")).ToList(),
        "/actions", "Open your agency's actions");

    /// <summary>A safeguarding concern was raised: the audit, the case reference and a link; never its description.</summary>
    public static NoticeContent ConcernRaised(NoticeConcern concern) => new(
        $"Safeguarding concern raised: case {concern.CaseRef} in \"{concern.AuditTitle}\"",
        [
            $"A safeguarding concern was raised about case {concern.CaseRef} in the audit \"{concern.AuditTitle}\" on {Moment(concern.RaisedUtc)}.",
            "A child may be at risk now: read the concern in AuditTool. A safeguarding lead of an agency on the case acknowledges it there.",
        ],
        [], ConcernsPath(concern), "Open the concerns of this audit");

    /// <summary>A concern still not acknowledged after the set working hours: the same people are told again.</summary>
    public static NoticeContent ConcernEscalated(NoticeConcern concern, double workingHours) => new(
        $"Not acknowledged: safeguarding concern on case {concern.CaseRef} in \"{concern.AuditTitle}\"",
        [
            $"The safeguarding concern raised about case {concern.CaseRef} in the audit \"{concern.AuditTitle}\" on {Moment(concern.RaisedUtc)} " +
            $"has not been acknowledged after {workingHours.ToString("0.##", CultureInfo.InvariantCulture)} working hours.",
            "A safeguarding lead of an agency on the case acknowledges it in AuditTool.",
        ],
        [], ConcernsPath(concern), "Open the concerns of this audit");

    public static string ConcernsPath(NoticeConcern concern) => $"/concerns?audit={concern.AuditId.ToString(CultureInfo.InvariantCulture)}";

    private static string Moment(DateTimeOffset utc) => utc.ToString("d MMMM yyyy 'at' HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static NoticeContent Test() => new(
        "AuditTool test message",
        ["This is a test message from AuditTool, sent by an administrator to check the e-mail settings. Nothing needs doing."],
        [],
        "/", "Open AuditTool");

    /// <summary>The message's plain-text part. Links are absolute when the site's address is set; otherwise paths.</summary>
    /// <summary>To administrators: accounts disabled by the daily pass because nobody used them (how many, never who).</summary>
    public static NoticeContent AccountsDisabled(int count, int days) => new(
        $"{Count(count, "account")} disabled after {days} days without use",
        [
            $"{Count(count, "account")} of AuditTool {(count == 1 ? "was" : "were")} disabled today because {(count == 1 ? "it had" : "they had")} not been used for {days} days.",
            "An administrator can enable an account again on the users page if it is still needed.",
        ],
        [], "/admin/users", "Open the users page");

    public static string Text(NoticeContent content, string? publicUrl)
    {
        var text = new StringBuilder();
        foreach (var paragraph in content.Paragraphs.Where(p => p.Length > 0))
        {
            text.Append(paragraph).Append("\n\n");
        }

        foreach (var line in content.Lines)
        {
            text.Append("  - ").Append(line.Text).Append(": ").Append(Link(line.Path, publicUrl)).Append('\n');
        }

        if (content.Lines.Count > 0)
        {
            text.Append('\n');
        }

        text.Append(content.PathLabel).Append(": ").Append(Link(content.Path, publicUrl)).Append("\n\n");
        text.Append("-- \n").Append(Footer).Append('\n');
        return text.ToString();
    }

    /// <summary>The message's HTML part: the same words, every one HTML-encoded.</summary>
    public static string Html(NoticeContent content, string? publicUrl)
    {
        var html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(Encode(content.Subject)).Append("</title></head>\n<body style=\"font-family: sans-serif; line-height: 1.5\">\n");
        foreach (var paragraph in content.Paragraphs.Where(p => p.Length > 0))
        {
            html.Append("<p>").Append(Encode(paragraph)).Append("</p>\n");
        }

        if (content.Lines.Count > 0)
        {
            html.Append("<ul>\n");
            foreach (var line in content.Lines)
            {
                html.Append("<li>").Append(Anchor(line.Text, line.Path, publicUrl)).Append("</li>\n");
            }

            html.Append("</ul>\n");
        }

        html.Append("<p>").Append(Anchor(content.PathLabel, content.Path, publicUrl)).Append("</p>\n");
        html.Append("<p style=\"color: #555; font-size: smaller\">").Append(Encode(Footer)).Append("</p>\n</body></html>\n");
        return html.ToString();
    }

    /// <summary>The address of a page: the site's address and the path, or the path alone when no address is set.</summary>
    public static string Link(string path, string? publicUrl) =>
        publicUrl is { Length: > 0 } url ? url.TrimEnd('/') + path : $"{path} (on your AuditTool site)";

    public static string ReturnPath(NoticeReturn ret) => $"/returns/{ret.Id.ToString(CultureInfo.InvariantCulture)}";

    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    private static NoticeLine CaseLine(NoticeReturn ret) =>
        new($"Case {ret.CaseRef} ({ReturnStatuses.Label(ret.Status).ToLowerInvariant()})", ReturnPath(ret));

    private static string DeadlineClause(NoticeAudit audit) => audit.Deadline is { } d ? $" by {Date(d)}" : string.Empty;

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";

    private static string Anchor(string text, string path, string? publicUrl) => publicUrl is { Length: > 0 }
        ? $"<a href=\"{Encode(Link(path, publicUrl))}\">{Encode(text)}</a>"
        : $"{Encode(text)} ({Encode(Link(path, publicUrl))})";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
