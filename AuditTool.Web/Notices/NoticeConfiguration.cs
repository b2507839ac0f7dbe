using System.Globalization;
using AuditTool.Domain.Concerns;
using AuditTool.Domain.Notices;
using MimeKit;

namespace AuditTool.Web.Notices;

/// <summary>How messages are handed to the SMTP server. <see cref="Host"/> null: nothing is sent.</summary>
public sealed record SmtpSettings(string? Host, int Port, string Security, string? UserName, string? Password, MailboxAddress? From)
{
    public const string None = "none";
    public const string StartTls = "starttls";
    public const string Tls = "tls";

    public static SmtpSettings NotConfigured { get; } = new(null, 587, StartTls, null, null, null);
}

/// <summary>
/// Reads the reminder settings (PRODUCT.md, "Reminders"): <c>AuditTool:Smtp:Host</c>, <c>Port</c>, <c>Security</c>
/// (none, starttls, tls; default starttls), <c>UserName</c>, <c>Password</c>, <c>From</c>;
/// <c>AuditTool:Reminders:DaysBefore</c> (default 7,1); <c>AuditTool:PublicUrl</c> (the site's address, for links).
/// A bad value is refused with a message naming the setting, and the server or verb does not start.
/// </summary>
public static class NoticeConfiguration
{
    public const string Smtp = "AuditTool:Smtp";
    public const string DaysBeforeKey = "AuditTool:Reminders:DaysBefore";
    public const string PublicUrlKey = "AuditTool:PublicUrl";
    public const string EscalateAfterKey = "AuditTool:Concerns:EscalateAfterWorkingHours";

    /// <summary>PRODUCT.md's name for the same setting; read when <see cref="EscalateAfterKey"/> is not set.</summary>
    public const string AcknowledgeWithinKey = "AuditTool:Concerns:AcknowledgeWithinWorkingHours";

    public const string BankHolidaysFileKey = "AuditTool:Concerns:BankHolidaysFile";

    public static IServiceCollection AddAuditToolNotices(this IServiceCollection services, IConfiguration configuration)
    {
        var (smtp, notices) = Read(configuration);
        services.AddSingleton(smtp);
        services.AddSingleton(notices);
        services.AddSingleton<IMailSender, SmtpMailSender>();
        return services;
    }

    /// <summary>The settings, or an <see cref="ArgumentException"/> listing every problem.</summary>
    public static (SmtpSettings Smtp, NoticeSettings Notices) Read(IConfiguration configuration)
    {
        var problems = new List<string>();
        var host = Value(configuration, $"{Smtp}:Host");
        var security = (Value(configuration, $"{Smtp}:Security") ?? SmtpSettings.StartTls).ToLowerInvariant();
        if (security is not (SmtpSettings.None or SmtpSettings.StartTls or SmtpSettings.Tls))
        {
            problems.Add($"{Smtp}:Security must be none, starttls or tls (not '{security}').");
        }

        var port = security switch { SmtpSettings.None => 25, SmtpSettings.Tls => 465, _ => 587 };
        if (Value(configuration, $"{Smtp}:Port") is { } portText)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                problems.Add($"{Smtp}:Port must be a whole number from 1 to 65535 (not '{portText}').");
            }
        }

        var userName = Value(configuration, $"{Smtp}:UserName");
        var password = configuration[$"{Smtp}:Password"] is { Length: > 0 } p ? p : null;
        if ((userName is null) != (password is null))
        {
            problems.Add($"Give both {Smtp}:UserName and {Smtp}:Password to sign in to the SMTP server, or neither.");
        }

        MailboxAddress? from = null;
        if (Value(configuration, $"{Smtp}:From") is { } fromText)
        {
            if (!MailboxAddress.TryParse(fromText, out from) || !Domain.Accounts.EmailAddress.IsValid(from.Address))
            {
                problems.Add($"{Smtp}:From must be an e-mail address, e.g. audit@partnership.example.org or \"AuditTool <audit@partnership.example.org>\" (not '{fromText}').");
            }
        }
        else if (host is not null)
        {
            problems.Add($"{Smtp}:From is required when {Smtp}:Host is set: the address messages come from, e.g. audit@partnership.example.org.");
        }

        var days = ReadDaysBefore(configuration, problems);
        string? publicUrl = null;
        if (Value(configuration, PublicUrlKey) is { } url)
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.Query) &&
                string.IsNullOrEmpty(uri.Fragment))
            {
                publicUrl = url.TrimEnd('/');
            }
            else
            {
                problems.Add($"{PublicUrlKey} must be the site's address, starting http:// or https://, e.g. https://audit.partnership.example.org (not '{url}').");
            }
        }

        var concerns = ReadConcerns(configuration, problems);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems));
        }

        return (new SmtpSettings(host, port, security, userName, password, from), new NoticeSettings(days, publicUrl, concerns));
    }

    /// <summary>
    /// The working hours before a concern not acknowledged is notified again (default 4), and the England and Wales bank
    /// holidays: the list shipped in the app (GOV.UK's dates, 2024 to 2028), or the file <c>AuditTool:Concerns:BankHolidaysFile</c>
    /// names, in GOV.UK's own format (the bank-holidays.json that GOV.UK publishes, saved as it is).
    /// </summary>
    public static ConcernNoticeSettings ReadConcerns(IConfiguration configuration, List<string> problems)
    {
        var hours = ConcernNoticeSettings.DefaultEscalateAfterWorkingHours;
        var key = Value(configuration, EscalateAfterKey) is not null ? EscalateAfterKey : AcknowledgeWithinKey;
        if (Value(configuration, key) is { } text)
        {
            if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out hours) || hours is <= 0 or > 400)
            {
                problems.Add($"{key} must be a number of working hours above 0 and at most 400, e.g. 4 (not '{text}').");
                hours = ConcernNoticeSettings.DefaultEscalateAfterWorkingHours;
            }
        }

        IReadOnlyList<DateOnly> holidays = [];
        try
        {
            if (Value(configuration, BankHolidaysFileKey) is { } path)
            {
                if (!File.Exists(path))
                {
                    problems.Add($"{BankHolidaysFileKey} names '{path}', which is not a file.");
                }
                else
                {
                    using var file = File.OpenRead(path);
                    holidays = BankHolidays.Read(file);
                }
            }
            else
            {
                using var shipped = typeof(NoticeConfiguration).Assembly.GetManifestResourceStream(BankHolidays.ResourceName)
                    ?? throw new InvalidOperationException("The shipped bank holidays are missing from the app.");
                holidays = BankHolidays.Read(shipped);
            }
        }
        catch (FormatException ex)
        {
            problems.Add($"{BankHolidaysFileKey}: {ex.Message}");
        }

        return new ConcernNoticeSettings(hours, new WorkingCalendar(holidays));
    }

    private static IReadOnlyList<int> ReadDaysBefore(IConfiguration configuration, List<string> problems)
    {
        // A comma-separated text ("7,1", as an environment variable gives it) or a JSON list ([7, 1]).
        var section = configuration.GetSection(DaysBeforeKey);
        var text = section.Value ?? string.Join(",", section.GetChildren().Select(c => c.Value));
        if (string.IsNullOrWhiteSpace(text))
        {
            return NoticeSettings.DefaultDaysBefore;
        }

        var days = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var day) || day is < 1 or > 365)
            {
                problems.Add($"{DaysBeforeKey} must be whole numbers of days from 1 to 365, separated by commas, e.g. 7,1 (not '{text}').");
                return NoticeSettings.DefaultDaysBefore;
            }

            days.Add(day);
        }

        return days.Distinct().OrderDescending().ToList();
    }

    private static string? Value(IConfiguration configuration, string key) =>
        configuration[key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
