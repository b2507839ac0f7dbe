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
    public void TheBundledList_IsLoaded_AndHoldsOnlyLongEntries()
    {
        var lines = File.ReadAllLines(Path.Combine(Support.RepoPaths.Root, "AuditTool.Domain", "Accounts", "common-passwords.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        Assert.True(lines.Count > 1000);
        Assert.All(lines, l => Assert.True(l.Length >= PasswordRules.MinimumLength, l));
        Assert.NotNull(PasswordRules.Check(lines[^1]));
    }
}
