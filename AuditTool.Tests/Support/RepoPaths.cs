namespace AuditTool.Tests.Support;

public static class RepoPaths
{
    /// <summary>The repository root: the folder holding AuditTool.sln above the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string Templates => Path.Combine(Root, "templates");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AuditTool.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("AuditTool.sln not found above the test binaries.");
    }
}
