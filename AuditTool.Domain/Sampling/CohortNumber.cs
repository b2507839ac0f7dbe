using System.Globalization;

namespace AuditTool.Domain.Sampling;

/// <summary>How a cohort cell or a criterion value is read as a number: "70", "62.5", "-1", "62.5%".</summary>
internal static class CohortNumber
{
    // decimal, not double: "70.0" at most "70" must hold exactly, and "NaN" or "Infinity" are not numbers here.
    private const NumberStyles Style =
        NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite |
        NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        if (text is null) return false;
        var trimmed = text.Trim();
        if (trimmed.EndsWith('%')) trimmed = trimmed[..^1];
        return trimmed.Length > 0 && decimal.TryParse(trimmed, Style, CultureInfo.InvariantCulture, out value);
    }
}
