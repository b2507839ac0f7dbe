using System.Reflection;

namespace AuditTool.Domain.Accounts;

public static class PasswordRules
{
    public const int MinimumLength = 12;
    public const int MaximumLength = 256;

    private static readonly Lazy<HashSet<string>> Common = new(LoadCommon);

    /// <summary>Returns the problem with a new password in plain English, or null when it is acceptable.</summary>
    public static string? Check(string? password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinimumLength)
        {
            return $"A password must be at least {MinimumLength} characters long.";
        }

        if (password.Length > MaximumLength)
        {
            return $"A password must be at most {MaximumLength} characters long.";
        }

        if (password.Distinct().Count() < 4 || IsCommon(password))
        {
            return "That password is too common or too easy to guess: choose a longer phrase of your own.";
        }

        return null;
    }

    /// <summary>The number of passwords on the bundled list.</summary>
    public static int ListedCount => Common.Value.Count;

    /// <summary>
    /// On the list of common and breached passwords, as typed or once the digits and symbols people add at the end
    /// ("password2026!", "qwertyuiop123") are taken off what is left of it.
    /// </summary>
    public static bool IsCommon(string password)
    {
        var lower = password.ToLowerInvariant();
        if (Common.Value.Contains(lower))
        {
            return true;
        }

        var core = lower.TrimEnd("0123456789!?.,;:-_#@$%&*+=~ ".ToCharArray());
        return core.Length >= 4 && core.Length < lower.Length && Common.Value.Contains(core);
    }

    private static HashSet<string> LoadCommon()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("common-passwords.txt.gz")
            ?? throw new InvalidOperationException("The bundled list of common passwords is missing.");
        using var unzipped = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(unzipped);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                set.Add(line.Trim());
            }
        }

        return set;
    }
}
