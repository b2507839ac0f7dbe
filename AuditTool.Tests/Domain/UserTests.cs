using AuditTool.Domain.Accounts;
using AuditTool.Domain.Security;

namespace AuditTool.Tests.Domain;

public class UserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void FifthFailure_LocksForFifteenMinutes()
    {
        var user = User.Create("x.user", "X", Role.Executive, null, "hash", Now);

        for (var i = 0; i < 4; i++)
        {
            user.RecordFailedSignIn(Now, 5, TimeSpan.FromMinutes(15));
            Assert.False(user.IsLockedOut(Now));
        }

        user.RecordFailedSignIn(Now, 5, TimeSpan.FromMinutes(15));

        Assert.True(user.IsLockedOut(Now.AddMinutes(14)));
        Assert.False(user.IsLockedOut(Now.AddMinutes(15)));
    }

    [Fact]
    public void Auditor_MustBelongToAnAgency_OthersToNone()
    {
        Assert.Throws<ArgumentException>(() => User.Create("a.user", "A", Role.Auditor, null, "hash", Now));
        Assert.Null(User.Create("e.user", "E", Role.Executive, 7, "hash", Now).AgencyId);
        Assert.Equal(7, User.Create("m.user", "M", Role.Manager, 7, "hash", Now).AgencyId);
    }

    [Fact]
    public void Disable_ChangesTheSecurityStamp_SoOpenSessionsEnd()
    {
        var user = User.Create("d.user", "D", Role.Scrutineer, null, "hash", Now);
        var before = user.SecurityStamp;

        user.Disable();

        Assert.True(user.IsDisabled);
        Assert.NotEqual(before, user.SecurityStamp);
    }

    [Theory]
    [InlineData("administrator", Role.Administrator)]
    [InlineData("Auditor", Role.Auditor)]
    [InlineData("executive", Role.Executive)]
    public void Roles_ParseTheirKeys(string key, Role role) => Assert.Equal(role, Roles.Parse(key));

    [Fact]
    public void Roles_UnknownKey_IsNull() => Assert.Null(Roles.Parse("superuser"));
}
