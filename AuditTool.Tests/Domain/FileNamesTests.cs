using AuditTool.Domain;

namespace AuditTool.Tests.Domain;

public sealed class FileNamesTests
{
    [Theory]
    [InlineData("Neglect deep dive 2025", "neglect-deep-dive-2025")]
    [InlineData("  Step-down to Early Help: six-month follow-up!  ", "step-down-to-early-help-six-month-follow-up")]
    [InlineData("Ysgol Gymraeg Bro Côr – Ionawr", "ysgol-gymraeg-bro-cor-ionawr")]
    [InlineData("Łódź / Zürich", "odz-zurich")]
    [InlineData("***", "audit")]
    [InlineData("", "audit")]
    public void Slug_GivesLowerCaseAsciiWordsJoinedByOneDash(string title, string expected) =>
        Assert.Equal(expected, FileNames.Slug(title));

    [Fact]
    public void Slug_IsAtMostSixtyCharacters_AndNeverEndsWithADash()
    {
        var slug = FileNames.Slug(string.Join(' ', Enumerable.Repeat("escalation", 12)));
        Assert.True(slug.Length <= FileNames.MaxSlugLength, slug);
        Assert.False(slug.EndsWith('-'));
        Assert.StartsWith("escalation-escalation", slug, StringComparison.Ordinal);
    }

    [Fact]
    public void TheExport_TheWordReport_AndTheWorkbook_NameTheirFilesTheSameWay()
    {
        // Each of them once had a Slug of its own with different results; only FileNames.Slug is left.
        var root = Support.RepoPaths.Root;
        var writers = Directory.GetFiles(Path.Combine(root, "AuditTool.Domain"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("string Slug(", StringComparison.Ordinal))
            .Select(Path.GetFileName);
        Assert.Equal(["FileNames.cs"], writers);
    }
}
