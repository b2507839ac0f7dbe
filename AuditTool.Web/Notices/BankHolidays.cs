using System.Globalization;
using System.Text.Json;

namespace AuditTool.Web.Notices;

/// <summary>
/// England and Wales bank holidays in GOV.UK's format: <c>{"england-and-wales": {"events": [{"date": "2026-12-25", ...}]}}</c>.
/// The app ships GOV.UK's dates for 2024 to 2028 (bank-holidays.json beside this file); a newer list is GOV.UK's
/// bank-holidays.json saved as it is, named by <c>AuditTool:Concerns:BankHolidaysFile</c>.
/// </summary>
public static class BankHolidays
{
    public const string ResourceName = "bank-holidays.json";
    public const string Division = "england-and-wales";

    /// <summary>The dates, or a <see cref="FormatException"/> saying what is wrong with the file.</summary>
    public static IReadOnlyList<DateOnly> Read(Stream json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"the bank holidays file is not JSON ({ex.Message}).", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty(Division, out var division) ||
                division.ValueKind != JsonValueKind.Object ||
                !division.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"the bank holidays file has no \"{Division}\" list of events (GOV.UK's bank-holidays.json format).");
            }

            var dates = new List<DateOnly>();
            foreach (var e in events.EnumerateArray())
            {
                var text = e.ValueKind == JsonValueKind.Object && e.TryGetProperty("date", out var d) && d.ValueKind == JsonValueKind.String
                    ? d.GetString()
                    : null;
                if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    throw new FormatException($"an event of the bank holidays file has no date as YYYY-MM-DD (found '{text}').");
                }

                dates.Add(date);
            }

            return dates.Distinct().Order().ToList();
        }
    }
}
