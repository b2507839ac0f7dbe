namespace AuditTool.Domain.Security;

/// <summary>The five roles of PRODUCT.md. A user has exactly one.</summary>
public enum Role
{
    Administrator,
    Scrutineer,
    Auditor,
    Manager,
    Executive,
}

public static class Roles
{
    public const string Administrator = "administrator";
    public const string Scrutineer = "scrutineer";
    public const string Auditor = "auditor";
    public const string Manager = "manager";
    public const string Executive = "executive";

    public static IReadOnlyList<Role> All { get; } = Enum.GetValues<Role>();

    public static string ToKey(this Role role) => role switch
    {
        Role.Administrator => Administrator,
        Role.Scrutineer => Scrutineer,
        Role.Auditor => Auditor,
        Role.Manager => Manager,
        Role.Executive => Executive,
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public static Role? Parse(string? key) => key?.Trim().ToLowerInvariant() switch
    {
        Administrator => Role.Administrator,
        Scrutineer => Role.Scrutineer,
        Auditor => Role.Auditor,
        Manager => Role.Manager,
        Executive => Role.Executive,
        _ => null,
    };

    public static string Label(this Role role) => role switch
    {
        Role.Administrator => "Administrator",
        Role.Scrutineer => "Independent scrutineer",
        Role.Auditor => "Agency auditor",
        Role.Manager => "Agency manager",
        Role.Executive => "Executive member",
        _ => role.ToString(),
    };

    /// <summary>Auditors and managers belong to one agency; the other roles to none.</summary>
    public static bool BelongsToAgency(this Role role) => role is Role.Auditor or Role.Manager;
}
