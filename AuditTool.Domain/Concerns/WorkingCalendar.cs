namespace AuditTool.Domain.Concerns;

/// <summary>
/// Working hours (PRODUCT.md "Safeguarding concerns"): 09:00 to 17:00 UK time, Monday to Friday, England and Wales bank
/// holidays excluded. A pure calculation over the bank holidays it is given; UK time follows British Summer Time.
/// </summary>
public sealed class WorkingCalendar
{
    public static readonly TimeOnly DayStarts = new(9, 0);
    public static readonly TimeOnly DayEnds = new(17, 0);

    private readonly HashSet<DateOnly> _holidays;

    public WorkingCalendar(IEnumerable<DateOnly> bankHolidays, TimeZoneInfo? zone = null)
    {
        _holidays = bankHolidays.ToHashSet();
        Zone = zone ?? UkTime();
    }

    public TimeZoneInfo Zone { get; }

    public IReadOnlyCollection<DateOnly> BankHolidays => _holidays;

    /// <summary>The last bank holiday known: past it, only weekends are left out (the list wants updating).</summary>
    public DateOnly? LastKnown => _holidays.Count == 0 ? null : _holidays.Max();

    public bool IsWorkingDay(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !_holidays.Contains(day);

    /// <summary>The moment <paramref name="hours"/> working hours after <paramref name="start"/>.</summary>
    public DateTimeOffset AddWorkingHours(DateTimeOffset start, double hours)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(hours);
        var remaining = TimeSpan.FromHours(hours);
        var local = TimeZoneInfo.ConvertTime(start, Zone).DateTime;
        for (var guard = 0; guard < 3660; guard++)
        {
            var day = DateOnly.FromDateTime(local);
            if (IsWorkingDay(day))
            {
                var opens = day.ToDateTime(DayStarts);
                var closes = day.ToDateTime(DayEnds);
                var from = local < opens ? opens : local;
                if (from < closes)
                {
                    var open = closes - from;
                    if (remaining <= open)
                    {
                        return ToUtc(from + remaining);
                    }

                    remaining -= open;
                }
            }

            local = day.AddDays(1).ToDateTime(TimeOnly.MinValue);
        }

        throw new InvalidOperationException("No working hours found in ten years: check the bank holidays.");
    }

    /// <summary>UK time; UTC where the system has no time zone data.</summary>
    public static TimeZoneInfo UkTime()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    private DateTimeOffset ToUtc(DateTime local) =>
        new(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone), TimeSpan.Zero);
}

/// <summary>The concern notices' settings: working hours without acknowledgement before the second notice, and the calendar.</summary>
public sealed record ConcernNoticeSettings(double EscalateAfterWorkingHours, WorkingCalendar Calendar)
{
    public const double DefaultEscalateAfterWorkingHours = 4;

    public static ConcernNoticeSettings Default { get; } = new(DefaultEscalateAfterWorkingHours, new WorkingCalendar([]));
}
