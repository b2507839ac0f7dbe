namespace AuditTool.Web.Hosting;

/// <summary>
/// The options the server takes when no verb is given: <c>--db PATH</c> as the verbs take it, and ASP.NET Core's own
/// host options (<c>--urls</c>, <c>--environment</c>, <c>--contentRoot</c>, <c>--applicationName</c>; a test host passes the
/// last two), and settings as ASP.NET Core reads them from a command line (<c>--AuditTool:Demo=true</c>: a name with a colon).
/// Anything else is refused with a message, never silently ignored.
/// </summary>
public sealed record ServerArguments(string? Database, IReadOnlyList<string> HostArgs)
{
    private static readonly string[] HostOptions = ["urls", "environment", "contentRoot", "applicationName"];

    // Settings given on the command line name a section and key ("AuditTool:Demo"); a test host also passes each section
    // on its own, with no value ("--AuditTool=").
    private static readonly string[] Sections = ["AuditTool", "Logging", "Kestrel", "AllowedHosts", "ConnectionStrings"];

    public const string UsageText = """
        Serving the site (no verb):
          AuditTool.Web [--db PATH] [--urls URL] [--environment NAME]
            --db PATH            the database (default AuditTool:Database, data/audittool.db)
            --urls URL           where to listen, e.g. http://127.0.0.1:5080
            --environment NAME   Development (demo data on an empty database) or Production
            --SECTION:KEY=VALUE  any setting, e.g. --AuditTool:IdleTimeoutMinutes=15
        """;

    /// <summary>Reads the server's options; an unknown option or a missing value is an <see cref="ArgumentException"/>.</summary>
    public static ServerArguments Parse(IReadOnlyList<string> args)
    {
        string? database = null;
        var hostArgs = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument '{arg}'.");
            }

            var (name, value) = arg.IndexOf('=') is var eq and > 0 ? (arg[2..eq], arg[(eq + 1)..]) : (arg[2..], null);
            if (value is null)
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new ArgumentException($"'{arg}' needs a value.");
                }

                value = args[++i];
            }

            var setting = name.Contains(':', StringComparison.Ordinal) || Sections.Contains(name, StringComparer.OrdinalIgnoreCase);
            if (value.Length == 0 && !setting)
            {
                throw new ArgumentException($"'--{name}' needs a value.");
            }

            if (name == "db")
            {
                database = value;
            }
            else if (setting || HostOptions.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                hostArgs.Add($"--{name}={value}");
            }
            else
            {
                throw new ArgumentException($"unknown option '--{name}'.");
            }
        }

        return new ServerArguments(database, hostArgs);
    }
}
