namespace AuditTool.Web.Hosting;

public sealed class AuditToolOptions
{
    public const string Section = "AuditTool";

    /// <summary>The SQLite file (relative paths are taken from the content root) or a postgresql:// URI.</summary>
    public string Database { get; set; } = AuditTool.Data.DatabaseTarget.DefaultPath;

    /// <summary>PostgreSQL's password when the URI and PGPASSWORD give none (keep it out of the URI in shared settings).</summary>
    public string? DatabasePassword { get; set; }

    /// <summary>Seeds demo agencies and accounts on an empty database (on in Development).</summary>
    public bool Demo { get; set; }

    public double IdleTimeoutMinutes { get; set; } = 30;

    /// <summary>How often open pages re-check that their account is still enabled and unchanged.</summary>
    public int RevalidationSeconds { get; set; } = 30;

    public SessionOptions Sessions { get; set; } = new();

    public SignInLimitOptions SignIn { get; set; } = new();

    /// <summary>Where the shipped templates are read from on first run.</summary>
    public string? TemplatesFolder { get; set; }
}

/// <summary><c>AuditTool:Sessions</c>.</summary>
public sealed class SessionOptions
{
    /// <summary>A session ends this many hours after sign-in, whatever the activity.</summary>
    public double AbsoluteHours { get; set; } = 12;
}

/// <summary><c>AuditTool:SignIn</c>: how many sign-in attempts the server takes per minute.</summary>
public sealed class SignInLimitOptions
{
    /// <summary>From one network address (one address cannot lock every account or guess across many).</summary>
    public int PerAddressPerMinute { get; set; } = 20;

    /// <summary>From everyone together.</summary>
    public int GlobalPerMinute { get; set; } = 300;
}
