using AuditTool.Domain.Concerns;
using AuditTool.Tests.Support;
using AuditTool.Web.Notices;
using Microsoft.Extensions.Configuration;

namespace AuditTool.Tests.Concerns;

/// <summary>Working hours (09:00-17:00 UK time, Monday to Friday, England and Wales bank holidays out) and the bank
/// holiday list: the one shipped, a replacement file, and clear refusals of bad settings.</summary>
public sealed class WorkingCalendarTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static readonly WorkingCalendar Shipped = NoticeConfiguration.Read(Settings()).Notices.ConcernsOrDefault.Calendar;

    [Theory]
    // Monday morning in winter (GMT): the same day.
    [InlineData("2026-11-30T10:00:00Z", 4, "2026-11-30T14:00:00Z")]
    // Raised at night: the hours start at 09:00.
    [InlineData("2026-11-30T22:30:00Z", 4, "2026-12-01T13:00:00Z")]
    // Friday afternoon: over the weekend to Monday.
    [InlineData("2026-11-27T15:00:00Z", 4, "2026-11-30T11:00:00Z")]
    // Saturday: Monday 13:00.
    [InlineData("2026-11-28T10:00:00Z", 4, "2026-11-30T13:00:00Z")]
    // Maundy Thursday 2027 at 16:00: Good Friday and Easter Monday are bank holidays, so Tuesday 30 March, in summer time (09:00 there is 08:00 UTC).
    [InlineData("2027-03-25T16:00:00Z", 4, "2027-03-30T11:00:00Z")]
    // Summer (BST): 09:00 in London is 08:00 UTC.
    [InlineData("2026-07-06T07:00:00Z", 4, "2026-07-06T12:00:00Z")]
    // The substitute New Year's Day of 2028 (Monday 3 January).
    [InlineData("2027-12-31T16:00:00Z", 2, "2028-01-04T10:00:00Z")]
    public void AddWorkingHours_SkipsNightsWeekendsAndBankHolidays(string start, double hours, string expected)
    {
        var at = Shipped.AddWorkingHours(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), hours);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), at);
    }

    [Fact]
    public void TheShippedList_HoldsGovUksEnglandAndWalesDates_2024To2028()
    {
        var dates = Shipped.BankHolidays.Order().ToList();

        Assert.Equal(40, dates.Count);
        Assert.Equal(new DateOnly(2024, 1, 1), dates[0]);
        Assert.Equal(new DateOnly(2028, 12, 26), dates[^1]);
        Assert.Contains(new DateOnly(2026, 12, 28), dates);
        Assert.Contains(new DateOnly(2027, 12, 27), dates);
        Assert.Contains(new DateOnly(2025, 4, 18), dates);
        Assert.All(dates, d => Assert.InRange(d.DayOfWeek, DayOfWeek.Monday, DayOfWeek.Friday));
        Assert.Equal(4, NoticeConfiguration.Read(Settings()).Notices.ConcernsOrDefault.EscalateAfterWorkingHours);
    }

    [Fact]
    public void AReplacementFile_InGovUksFormat_ReplacesTheShippedList()
    {
        var folder = Directory.CreateTempSubdirectory("audittool-holidays").FullName;
        var file = Path.Combine(folder, "bank-holidays.json");
        File.WriteAllText(file, """
            {"england-and-wales": {"division": "england-and-wales", "events": [
              {"title": "New Year's Day", "date": "2029-01-01", "notes": "", "bunting": true},
              {"title": "A one-off bank holiday", "date": "2029-06-05", "notes": "", "bunting": true}]},
             "scotland": {"division": "scotland", "events": [{"title": "2 January", "date": "2029-01-02", "notes": "", "bunting": true}]}}
            """);

        var settings = NoticeConfiguration.Read(Settings(("AuditTool:Concerns:BankHolidaysFile", file), ("AuditTool:Concerns:EscalateAfterWorkingHours", "2.5")))
            .Notices.ConcernsOrDefault;

        Assert.Equal([new DateOnly(2029, 1, 1), new DateOnly(2029, 6, 5)], settings.Calendar.BankHolidays.Order());
        Assert.Equal(2.5, settings.EscalateAfterWorkingHours);
        Assert.False(settings.Calendar.IsWorkingDay(new DateOnly(2029, 6, 5)));
        Assert.True(settings.Calendar.IsWorkingDay(new DateOnly(2029, 1, 2)));
        Directory.Delete(folder, true);
    }

    [Theory]
    [InlineData("AuditTool:Concerns:EscalateAfterWorkingHours", "0", "AuditTool:Concerns:EscalateAfterWorkingHours must be a number of working hours above 0")]
    [InlineData("AuditTool:Concerns:EscalateAfterWorkingHours", "four", "(not 'four')")]
    [InlineData("AuditTool:Concerns:AcknowledgeWithinWorkingHours", "-2", "AuditTool:Concerns:AcknowledgeWithinWorkingHours must be")]
    [InlineData("AuditTool:Concerns:BankHolidaysFile", "/no/such/bank-holidays.json", "which is not a file")]
    public void ABadSetting_IsRefused_NamingIt(string key, string value, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => NoticeConfiguration.Read(Settings((key, value))));

        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void ABankHolidaysFileOfTheWrongShape_IsRefused_SayingWhy()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, """{"events": [{"date": "2029-01-01"}]}""");
        var ex = Assert.Throws<ArgumentException>(() => NoticeConfiguration.Read(Settings(("AuditTool:Concerns:BankHolidaysFile", file))));
        File.WriteAllText(file, """{"england-and-wales": {"events": [{"date": "1 January 2029"}]}}""");
        var badDate = Assert.Throws<ArgumentException>(() => NoticeConfiguration.Read(Settings(("AuditTool:Concerns:BankHolidaysFile", file))));
        File.Delete(file);

        Assert.Contains("no \"england-and-wales\" list of events", ex.Message);
        Assert.Contains("no date as YYYY-MM-DD (found '1 January 2029')", badDate.Message);
    }
}
