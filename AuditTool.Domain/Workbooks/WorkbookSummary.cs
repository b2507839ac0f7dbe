using System.Globalization;

namespace AuditTool.Domain.Workbooks;

/// <summary>An upload's outcome as plain lines: what was saved, what was unchanged, what is in conflict (with both values).</summary>
public static class WorkbookSummary
{
    public static IEnumerable<string> Lines(WorkbookUploadResult result, string source, string keptHint = "run again with --overwrite to take the workbook's")
    {
        yield return $"Uploaded {Path.GetFileName(source)} for {result.AgencyName} in \"{result.AuditTitle}\": {result.Headline}.";
        if (result.Changes.Count > 0)
        {
            yield return "Saved:";
            foreach (var c in result.Changes)
            {
                yield return $"  {c.CaseRef} {c.QuestionKey} {c.Field}: {Show(c.After)} ({(c.Before is null ? "was blank" : $"was {Show(c.Before)}")})";
            }
        }

        var kept = result.Conflicts.Where(c => !c.Overwritten).ToList();
        if (kept.Count > 0)
        {
            yield return $"Conflicts (changed in the app after the workbook was downloaded; the app's value was kept: {keptHint}):";
            foreach (var c in kept)
            {
                yield return "  " + Conflict(c);
            }
        }

        var overwritten = result.Conflicts.Where(c => c.Overwritten).ToList();
        if (overwritten.Count > 0)
        {
            yield return "Conflicts overwritten with the workbook's value, as confirmed:";
            foreach (var c in overwritten)
            {
                yield return "  " + Conflict(c);
            }
        }

        if (result.Submitted.Count > 0)
        {
            yield return $"Submitted: {string.Join(", ", result.Submitted)}";
        }
    }

    public static string Conflict(WorkbookConflict c) =>
        $"{c.Cell} {c.QuestionKey} {c.Field}: in the app {Show(c.InApp)} (changed {c.ChangedInAppUtc.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC), in the workbook {Show(c.InWorkbook)}";

    /// <summary>A value in quotes on one line, or "(blank)".</summary>
    public static string Show(string? value) =>
        value is null ? "(blank)" : $"\"{(value.Length > 80 ? value[..80] + "..." : value).Replace("\n", " / ", StringComparison.Ordinal)}\"";
}
