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

    /// <summary>
    /// The addresses (or networks, as 10.0.0.0/8) of the TLS proxy in front of the app: only their X-Forwarded-For,
    /// -Proto and -Host headers are believed. Comma-separated; none: forwarded headers are ignored.
    /// </summary>
    public string? KnownProxies { get; set; }

    /// <summary>Outside Development the app sends plain HTTP requests to HTTPS itself unless this is false (the proxy does it).</summary>
    public bool HttpsRedirect { get; set; } = true;

    /// <summary>The port plain HTTP is redirected to (the proxy's or the app's HTTPS port).</summary>
    public int HttpsPort { get; set; } = 443;

    public SignInLimitOptions SignIn { get; set; } = new();

    /// <summary>
    /// The address people reach the site at (<c>https://audit.partnership.example</c>): passkeys are made for its host
    /// name and answer only from it. Unset: the address of each request (behind a proxy, as its forwarded headers say).
    /// </summary>
    public string? PasskeyOrigin { get; set; }

    public MfaOptions Mfa { get; set; } = new();

    public AccountOptions Accounts { get; set; } = new();

    /// <summary>When case content is destroyed (AuditTool:Retention:EvidenceMonths, CaseDataMonths, NoticeDays).</summary>
    public RetentionOptions Retention { get; set; } = new();

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

/// <summary><c>AuditTool:Mfa</c>.</summary>
public sealed class MfaOptions
{
    /// <summary>The roles that must use a second factor: role keys, comma-separated, or <c>all</c> or <c>none</c>.</summary>
    public string RequiredRoles { get; set; } = "administrator,scrutineer";
}

/// <summary><c>AuditTool:Accounts</c>.</summary>
public sealed class AccountOptions
{
    /// <summary>Accounts not used for this many days are disabled by the daily pass (0: never).</summary>
    public int DisableAfterDays { get; set; } = 90;
}

/// <summary>The partnership's retention defaults: months after an audit is published (or closed unpublished).</summary>
public sealed class RetentionOptions
{
    /// <summary>Evidence notes, moderation rationales and amendment comments are destroyed this many months after.</summary>
    public int EvidenceMonths { get; set; } = 12;

    /// <summary>Answers are reduced to the figures' inputs (case references replaced by tokens) this many months after.</summary>
    public int CaseDataMonths { get; set; } = 24;

    /// <summary>Scrutineers are told this many days before.</summary>
    public int NoticeDays { get; set; } = 30;
}
