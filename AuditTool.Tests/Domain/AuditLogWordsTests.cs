using AuditTool.Domain.Logging;

namespace AuditTool.Tests.Domain;

public class AuditLogWordsTests
{
    [Theory]
    [InlineData("update", "answer", "Changed answer")]
    [InlineData("update", "evidence", "Changed evidence")]
    [InlineData("submit", "return", "Submitted return")]
    [InlineData("return-for-amendment", "return", "Returned for amendment return")]
    [InlineData("create", "finding-quote", "Created finding quote")]
    [InlineData("access-refused", "audit", "Access refused: audit")]
    [InlineData("place-hold", "legal-hold", "Placed legal hold")]
    [InlineData("sign-in", "user", "Signed in: user")]
    // An action the words do not know yet still reads as words, never as a code with hyphens.
    [InlineData("apply-retention", "audit", "Apply retention: audit")]
    public void ALogLine_ReadsInWords(string action, string entity, string expected) =>
        Assert.Equal(expected, AuditLogWords.What(action, entity));

    [Fact]
    public void ALine_SaysWhatAndAbout_WithoutItsStoredIds()
    {
        var line = new AuditLogLine(1, DateTimeOffset.UnixEpoch, "police.auditor", "update", "evidence", "78/seen-alone",
            "Deep dive", "HA-008", "Cleveland Police", null, null, true);
        Assert.Equal("Changed evidence", line.What);
        Assert.Equal("Deep dive · case HA-008 · Cleveland Police · question seen-alone", line.Subject);
        Assert.DoesNotContain("78", line.What + line.Subject);
    }
}
