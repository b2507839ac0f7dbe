using AuditTool.Domain.Accounts;
using AuditTool.Domain.Security;

namespace AuditTool.Tests.Domain;

public class UserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Auditor_MustBelongToAnAgency_OthersToNone()
    {
        Assert.Throws<ArgumentException>(() => User.Create("a.user", "A", Role.Auditor, null, "hash", Now));
        Assert.Null(User.Create("e.user", "E", Role.Executive, 7, "hash", Now).AgencyId);
        Assert.Equal(7, User.Create("m.user", "M", Role.Manager, 7, "hash", Now).AgencyId);
    }

    [Theory]
    [InlineData("administrator", Role.Administrator)]
    [InlineData("Auditor", Role.Auditor)]
    [InlineData("executive", Role.Executive)]
    public void Roles_ParseTheirKeys(string key, Role role) => Assert.Equal(role, Roles.Parse(key));

    [Fact]
    public void Roles_UnknownKey_IsNull() => Assert.Null(Roles.Parse("superuser"));
}
