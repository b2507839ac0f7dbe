namespace AuditTool.Domain.Agencies;

public static class AgencyKinds
{
    public const string Police = "police";
    public const string Health = "health";
    public const string SocialCare = "social-care";
    public const string Education = "education";
    public const string EarlyHelp = "early-help";
    public const string YouthJustice = "youth-justice";
    public const string Other = "other";

    public static IReadOnlyList<string> All { get; } =
        [Police, Health, SocialCare, Education, EarlyHelp, YouthJustice, Other];

    public static bool IsKnown(string? kind) => kind is not null && All.Contains(kind);

    public static string Label(string kind) => kind switch
    {
        Police => "Police",
        Health => "Health",
        SocialCare => "Children's social care",
        Education => "Education",
        EarlyHelp => "Early help",
        YouthJustice => "Youth justice",
        Other => "Other",
        _ => kind,
    };
}
