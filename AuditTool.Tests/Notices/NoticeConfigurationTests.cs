using AuditTool.Domain.Accounts;
using AuditTool.Web.Notices;
using Microsoft.Extensions.Configuration;

namespace AuditTool.Tests.Notices;

/// <summary>The reminder settings: defaults, and a clear refusal naming the setting for every bad value.</summary>
public sealed class NoticeConfigurationTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void NoSettings_MeansNoHost_StartTls_SevenAndOneDays_AndNoPublicUrl()
    {
        var (smtp, notices) = NoticeConfiguration.Read(Settings());

        Assert.Null(smtp.Host);
        Assert.Equal((587, SmtpSettings.StartTls), (smtp.Port, smtp.Security));
        Assert.Equal([7, 1], notices.DaysBefore);
        Assert.Null(notices.PublicUrl);
        Assert.False(new SmtpMailSender(smtp).IsConfigured);
    }

    [Fact]
    public void FullSettings_AreRead_AndTheDescriptionNeverShowsThePassword()
    {
        var (smtp, notices) = NoticeConfiguration.Read(Settings(
            ("AuditTool:Smtp:Host", "smtp.partnership.example.org"), ("AuditTool:Smtp:Security", "TLS"),
            ("AuditTool:Smtp:UserName", "audit-bot"), ("AuditTool:Smtp:Password", "s3cret-smtp-password"),
            ("AuditTool:Smtp:From", "AuditTool <audit@partnership.example.org>"),
            ("AuditTool:Reminders:DaysBefore", "1, 14,3"), ("AuditTool:PublicUrl", "https://audit.partnership.example.org/")));

        Assert.Equal(("smtp.partnership.example.org", 465, SmtpSettings.Tls), (smtp.Host, smtp.Port, smtp.Security));
        Assert.Equal("audit@partnership.example.org", smtp.From!.Address);
        Assert.Equal([14, 3, 1], notices.DaysBefore);
        Assert.Equal("https://audit.partnership.example.org", notices.PublicUrl);
        var description = new SmtpMailSender(smtp).Description;
        Assert.Contains("smtp.partnership.example.org port 465, TLS, signing in as audit-bot", description);
        Assert.DoesNotContain("s3cret", description);
    }

    [Fact]
    public void DaysBefore_MayBeAJsonList()
    {
        var (_, notices) = NoticeConfiguration.Read(Settings(("AuditTool:Reminders:DaysBefore:0", "10"), ("AuditTool:Reminders:DaysBefore:1", "2")));

        Assert.Equal([10, 2], notices.DaysBefore);
    }

    [Theory]
    [InlineData("AuditTool:Smtp:Security", "ssl", "AuditTool:Smtp:Security must be none, starttls or tls (not 'ssl').")]
    [InlineData("AuditTool:Smtp:Port", "70000", "AuditTool:Smtp:Port must be a whole number from 1 to 65535 (not '70000').")]
    [InlineData("AuditTool:Smtp:Port", "smtp", "AuditTool:Smtp:Port must be a whole number from 1 to 65535 (not 'smtp').")]
    [InlineData("AuditTool:Smtp:From", "audit at partnership", "AuditTool:Smtp:From must be an e-mail address")]
    [InlineData("AuditTool:Reminders:DaysBefore", "7,x", "AuditTool:Reminders:DaysBefore must be whole numbers of days from 1 to 365, separated by commas, e.g. 7,1 (not '7,x').")]
    [InlineData("AuditTool:Reminders:DaysBefore", "0", "AuditTool:Reminders:DaysBefore must be whole numbers of days from 1 to 365")]
    [InlineData("AuditTool:PublicUrl", "audit.partnership.example.org", "AuditTool:PublicUrl must be the site's address, starting http:// or https://")]
    [InlineData("AuditTool:Smtp:UserName", "audit-bot", "Give both AuditTool:Smtp:UserName and AuditTool:Smtp:Password")]
    public void ABadValue_IsRefused_NamingTheSetting(string key, string value, string message)
    {
        var settings = new List<(string, string)> { ("AuditTool:Smtp:Host", "smtp.example.org"), ("AuditTool:Smtp:From", "audit@example.org") };
        settings.RemoveAll(s => s.Item1 == key);
        settings.Add((key, value));

        var refused = Assert.Throws<ArgumentException>(() => NoticeConfiguration.Read(Settings([.. settings])));

        Assert.Contains(message, refused.Message);
    }

    [Fact]
    public void AHostWithoutFrom_IsRefused()
    {
        var refused = Assert.Throws<ArgumentException>(() => NoticeConfiguration.Read(Settings(("AuditTool:Smtp:Host", "smtp.example.org"))));

        Assert.Contains("AuditTool:Smtp:From is required when AuditTool:Smtp:Host is set", refused.Message);
    }

    [Theory]
    [InlineData("name@example.org", true)]
    [InlineData("first.last+audit@sub.example.co.uk", true)]
    [InlineData("", true)]
    [InlineData("name@example", false)]
    [InlineData("name@-example.org", false)]
    [InlineData("name..x@example.org", false)]
    [InlineData("name@example.org.", false)]
    [InlineData("<name@example.org>", false)]
    public void EmailAddresses_ArePlainAddressesOrBlank(string address, bool accepted)
    {
        Assert.Equal(accepted, EmailAddress.Check(address) is null);
    }
}
