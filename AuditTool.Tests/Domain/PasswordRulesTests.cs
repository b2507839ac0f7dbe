using AuditTool.Domain.Accounts;

namespace AuditTool.Tests.Domain;

public class PasswordRulesTests
{
    [Theory]
    [InlineData("short-pass", "at least 12")]
    [InlineData("Password1234", "too common")]
    [InlineData("qwertyuiop123", "too common")]
    [InlineData("Safeguarding2025", "too common")]
    [InlineData("aaaaaaaaaaaaaaa", "too common")]
    public void WeakPasswords_AreRefused(string password, string expected) =>
        Assert.Contains(expected, PasswordRules.Check(password));

    [Theory]
    [InlineData("moderation-tuesday-kettle")]
    [InlineData("audit-demo-2026")]
    public void LongUncommonPasswords_AreAccepted(string password) => Assert.Null(PasswordRules.Check(password));

    [Fact]
    public void TheBundledList_HoldsAtLeastAHundredThousandPasswords_AndEveryLongOneIsRefused()
    {
        using var file = File.OpenRead(Path.Combine(Support.RepoPaths.Root, "AuditTool.Domain", "Accounts", "common-passwords.txt.gz"));
        using var reader = new StreamReader(new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress));
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                lines.Add(line);
            }
        }

        Assert.True(lines.Count >= 100_000, $"{lines.Count} passwords");
        Assert.True(PasswordRules.ListedCount >= 100_000);
        var longOnes = lines.Where(l => l.Length >= PasswordRules.MinimumLength && l.Length <= PasswordRules.MaximumLength).ToList();
        Assert.True(longOnes.Count > 1000);
        Assert.All(longOnes.Where((_, i) => i % 50 == 0), l => Assert.NotNull(PasswordRules.Check(l)));
    }

    [Theory]
    [InlineData("password2026!!")]
    [InlineData("Liverpool12345")]
    [InlineData("iloveyou123456")]
    [InlineData("sunshine-2026-01")]
    public void ACommonPassword_WithDigitsOrSymbolsAdded_IsStillRefused(string password) =>
        Assert.Contains("too common", PasswordRules.Check(password));
}
