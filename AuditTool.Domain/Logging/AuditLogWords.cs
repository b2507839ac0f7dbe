using AuditTool.Domain.Templates;

namespace AuditTool.Domain.Logging;

/// <summary>
/// What a log line records, in the words a reader uses ("Changed answer", "Returned for amendment: return") rather than
/// its stored codes (<c>update answer</c>, <c>return-for-amendment return</c>). The codes stay as stored (the log's
/// filters and its hash chain use them); this is only how a person reads them.
/// </summary>
public static class AuditLogWords
{
    private static readonly Dictionary<string, string> Actions = new(StringComparer.Ordinal)
    {
        ["create"] = "Created",
        ["update"] = "Changed",
        ["upsert"] = "Saved",
        ["delete"] = "Deleted",
        ["submit"] = "Submitted",
        ["return-for-amendment"] = "Returned for amendment",
        ["reopen"] = "Reopened",
        ["export"] = "Exported",
        ["import"] = "Imported",
        ["read"] = "Read",
        ["raise"] = "Raised",
        ["plan"] = "Planned",
        ["publish"] = "Published",
        ["retire"] = "Retired",
        ["reinstate"] = "Reinstated",
        ["retry"] = "Retried",
        ["test-message"] = "Sent a test message from",
        ["sign-in"] = "Signed in:",
        ["sign-out"] = "Signed out:",
        ["link-sign-in"] = "Linked a sign-in to",
        ["end-sessions"] = "Ended the sessions of",
        ["second-factor-set-up"] = "Set up a second factor for",
        ["access-refused"] = "Access refused:",
        ["upload-workbook"] = "Uploaded a workbook for",
        ["set-retention"] = "Set the retention of",
        ["place-hold"] = "Placed",
        ["release-hold"] = "Released",
        ["confirm-same-measure"] = "Confirmed as one measure across two templates:",
        ["keep-measures-apart"] = "Kept apart again across two templates:",
    };

    /// <summary>The line's action and entity in words: a known action in the past tense, otherwise its code with
    /// spaces; the entity with spaces ("finding-quote" reads "finding quote").</summary>
    public static string What(string action, string entity)
    {
        var thing = Entity(entity).ToLowerInvariant();
        return Actions.TryGetValue(action, out var words) ? $"{words} {thing}" : $"{DisplayNames.Words(action)}: {thing}";
    }

    /// <summary>An entity code as words, for the log's filter ("legal-hold" reads "Legal hold").</summary>
    public static string Entity(string entity) => DisplayNames.Words(entity);
}
