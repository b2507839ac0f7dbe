using AuditTool.Data;

namespace AuditTool.Web.Cli;

/// <summary>What a verb is given: its arguments, the database, the console, and the app's settings (read when asked).</summary>
internal sealed record VerbContext(Arguments Args, DatabaseTarget Database, TextWriter Out, TextWriter Err, TextReader In, Func<IConfiguration> Settings);

/// <summary>One admin verb of the executable: its name, its lines of the usage text, and what it does.</summary>
internal abstract class Verb(string name, string usageLines)
{
    public string Name { get; } = name;

    /// <summary>The verb's entry in <see cref="CommandLine.UsageText"/>, as printed.</summary>
    public string UsageLines { get; } = usageLines.TrimEnd();

    public abstract Task<int> RunAsync(VerbContext c);
}
