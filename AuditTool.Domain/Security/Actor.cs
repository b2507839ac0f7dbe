namespace AuditTool.Domain.Security;

/// <summary>Who is asking: taken from the signed-in session and re-checked against the database by every service call.</summary>
public sealed record Actor(long UserId, string UserName, Role Role, long? AgencyId)
{
    /// <summary>The command line acts as the system, not as a signed-in person.</summary>
    public static Actor System { get; } = new(0, "system", Role.Administrator, null);

    public bool IsSystem => UserId == 0;
}
