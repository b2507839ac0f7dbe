namespace AuditTool.Web.Cli;

/// <summary>A verb's arguments: positional ones in order, and the options every verb may take.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string?> _options = [];

    public List<string> Positional { get; } = [];

    public static Arguments Parse(string[] args)
    {
        var parsed = new Arguments();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                parsed.Positional.Add(arg);
                continue;
            }

            var name = arg[2..];
            if (name is "password-stdin" or "overwrite" or "dry-run")
            {
                parsed._options[name] = null;
                continue;
            }

            if (name is not ("db" or "username" or "role" or "agency" or "display-name" or "password" or "email" or "user" or "to" or "as-of" or "out" or "case" or "reason"))
            {
                throw new ArgumentException($"unknown option '{arg}'.");
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"'{arg}' needs a value.");
            }

            parsed._options[name] = args[++i];
        }

        return parsed;
    }

    public string? Option(string name) => _options.TryGetValue(name, out var value) ? value : null;

    public bool Flag(string name) => _options.ContainsKey(name);

    public async Task<bool> ExpectNoMoreAsync(string verb, int positional, TextWriter stderr)
    {
        if (Positional.Count == positional)
        {
            return true;
        }

        await stderr.WriteLineAsync(Positional.Count < positional
            ? $"{verb}: missing argument (see usage below)."
            : $"{verb}: unexpected argument '{Positional[positional]}'.");
        await stderr.WriteLineAsync(CommandLine.UsageText);
        return false;
    }
}
