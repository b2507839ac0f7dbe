using System.Globalization;
using System.Text;

namespace AuditTool.Domain;

/// <summary>The one way a title becomes part of a download's file name (the Excel export, the Word report, a workbook).</summary>
public static class FileNames
{
    public const int MaxSlugLength = 60;

    /// <summary>
    /// Lower-case ASCII letters and digits joined by single dashes: accents are taken off ("Côr" gives "cor"), every
    /// other character separates words, at most <see cref="MaxSlugLength"/> characters, never cut after a dash;
    /// "audit" when nothing is left.
    /// </summary>
    public static string Slug(string title)
    {
        var plain = new StringBuilder(title.Length);
        foreach (var c in title.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            plain.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-');
        }

        var slug = string.Join('-', plain.ToString().Split('-', StringSplitOptions.RemoveEmptyEntries));
        if (slug.Length > MaxSlugLength)
        {
            slug = slug[..MaxSlugLength].TrimEnd('-');
        }

        return slug.Length == 0 ? "audit" : slug;
    }
}
