using System.Globalization;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Security;
using ClosedXML.Excel;

namespace AuditTool.Documents.Excel;

/// <summary>
/// The "Sign-in and second factor" report as a small formatted workbook (ClosedXML): one row per account, for an agency's
/// certification evidence (Cyber Essentials, the Data Security and Protection Toolkit).
/// </summary>
public sealed class SignInReportWriter : ISignInReportWriter
{
    public static readonly string[] Headers =
        ["User name", "Role", "Agency", "Status", "Second factor required", "Second factor", "Last sign-in (UTC)", "Signed in with", "Open sessions"];

    public Task WriteAsync(IReadOnlyList<UserView> accounts, DateTimeOffset madeUtc, Stream output)
    {
        using var book = new XLWorkbook();
        var sheet = book.Worksheets.Add("Sign-in");
        sheet.Cell(1, 1).SetValue($"AuditTool: sign-in and second factor, {madeUtc.ToString("d MMMM yyyy HH:mm", CultureInfo.GetCultureInfo("en-GB"))} UTC");
        sheet.Cell(1, 1).Style.Font.Bold = true;
        for (var c = 0; c < Headers.Length; c++)
        {
            sheet.Cell(3, c + 1).SetValue(Headers[c]);
            sheet.Cell(3, c + 1).Style.Font.Bold = true;
        }

        var row = 4;
        foreach (var a in accounts.OrderBy(a => a.UserName, StringComparer.OrdinalIgnoreCase))
        {
            sheet.Cell(row, 1).SetValue(a.UserName);
            sheet.Cell(row, 2).SetValue(a.Role.Label());
            sheet.Cell(row, 3).SetValue(a.AgencyName ?? string.Empty);
            sheet.Cell(row, 4).SetValue(a.IsDisabled ? "Disabled" : a.IsLockedOut ? "Locked out" : "Active");
            sheet.Cell(row, 5).SetValue(a.SecondFactorRequired ? "Yes" : "No");
            sheet.Cell(row, 6).SetValue(a.SecondFactorText);
            if (a.LastSignInUtc is { } at)
            {
                sheet.Cell(row, 7).SetValue(at.UtcDateTime);
                sheet.Cell(row, 7).Style.NumberFormat.Format = "yyyy-mm-dd hh:mm";
            }
            else
            {
                sheet.Cell(row, 7).SetValue("never");
            }

            sheet.Cell(row, 8).SetValue(a.LastSignInMethodText);
            sheet.Cell(row, 9).SetValue(a.OpenSessions);
            row++;
        }

        sheet.SheetView.FreezeRows(3);
        sheet.Range(3, 1, Math.Max(3, row - 1), Headers.Length).SetAutoFilter();
        double[] widths = [24, 16, 30, 12, 12, 36, 18, 32, 10];
        for (var c = 0; c < widths.Length; c++)
        {
            sheet.Column(c + 1).Width = widths[c];
        }

        book.SaveAs(output);
        return Task.CompletedTask;
    }
}
