using AuditTool.Domain.Accounts;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Security;
using ClosedXML.Excel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

/// <summary>An auditor downloads their agency's workbook from the start page, fills it, uploads it and reads the summary.</summary>
[Collection(BrowserCollection.Name)]
public class AgencyWorkbookTests(BrowserFixture fixture)
{
    private static IXLCell Answer(XLWorkbook book, string sheet, string key)
    {
        var ws = book.Worksheet(sheet);
        var row = ws.Column(2).CellsUsed().First(c => c.GetString() == key).Address.RowNumber;
        return ws.Cell(row, 8);
    }

    [Fact]
    public async Task Auditor_DownloadsFillsAndUploadsFromTheStartPage_AndSeesTheSummary()
    {
        var auditId = await fixture.ImportAuditAsync(BrowserFixture.TestPackage("Workbook check", "WB-001", "WB-002"));
        var page = await fixture.SignInAsync("police.auditor");
        await BrowserFixture.GotoAsync(page, "/");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId($"workbook-download-{auditId}-police").ClickAsync());
        var path = Path.Combine(fixture.App.Folder, $"workbook-{Guid.NewGuid():N}.xlsx");
        await download.SaveAsAsync(path);

        // After the download, the same auditor answers WB-002 in the app: the workbook's other value is a conflict.
        var services = fixture.App.Services;
        var user = (await services.GetRequiredService<IUserRepository>().GetByUserNameAsync("police.auditor"))!;
        var actor = new Actor(user.Id, user.UserName, user.Role, user.AgencyId);
        var wb002 = (await services.GetRequiredService<IAuditRepository>().GetReturnsAsync(auditId)).Single(r => r.CaseRef == "WB-002" && r.AgencyId == user.AgencyId);
        await services.GetRequiredService<ReturnService>().SaveAnswerAsync(actor, wb002.Id, "seen-alone", "no");

        using (var book = new XLWorkbook(path))
        {
            Answer(book, "WB-001", "seen-alone").SetValue("Yes");
            Answer(book, "WB-001", "voice-recorded").SetValue("Partly");
            Answer(book, "WB-001", "days-to-escalation").SetValue(4);
            Answer(book, "WB-001", "overall").SetValue("Good");
            Answer(book, "WB-002", "seen-alone").SetValue("Yes");
            book.Save();
        }

        await page.GetByLabel("Upload a filled workbook (.xlsx, at most 20 MB)").SetInputFilesAsync(path);

        await Assertions.Expect(page.GetByTestId("workbook-saved")).ToHaveTextAsync("4");
        await Assertions.Expect(page.GetByTestId("workbook-unchanged")).ToHaveTextAsync("11");
        await Assertions.Expect(page.GetByTestId("workbook-conflicts")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByTestId("workbook-conflict-table")).ToContainTextAsync("WB-002!H7");
        await Assertions.Expect(page.GetByTestId("workbook-conflict-table")).ToContainTextAsync("\"No\"");
        await Assertions.Expect(page.GetByTestId("workbook-conflict-table")).ToContainTextAsync("\"Yes\"");
        Assert.Empty(await BrowserFixture.SeriousAxeViolationsAsync(page));

        // Confirming takes the workbook's value for the conflict.
        await page.GetByRole(AriaRole.Button, new() { Name = "Use the workbook's values for these conflicts" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("workbook-conflicts")).ToHaveTextAsync("0");
        await Assertions.Expect(page.GetByTestId("workbook-saved")).ToHaveTextAsync("1");
        var view = await services.GetRequiredService<ReturnService>().GetAsync(actor, wb002.Id);
        Assert.Equal("yes", view.Values["seen-alone"]);
        Assert.Empty(await BrowserFixture.SeriousAxeViolationsAsync(page));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Auditor_UploadingAWorkbookWithProblems_SeesEachWithItsPlace()
    {
        var auditId = await fixture.ImportAuditAsync(BrowserFixture.TestPackage("Workbook problems check", "WP-001"));
        var page = await fixture.SignInAsync("education.auditor");
        await BrowserFixture.GotoAsync(page, "/");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId($"workbook-download-{auditId}-education").ClickAsync());
        var path = Path.Combine(fixture.App.Folder, $"workbook-{Guid.NewGuid():N}.xlsx");
        await download.SaveAsAsync(path);
        using (var book = new XLWorkbook(path))
        {
            Answer(book, "WP-001", "seen-alone").SetValue("Mostly");
            book.Save();
        }

        await page.GetByLabel("Upload a filled workbook (.xlsx, at most 20 MB)").SetInputFilesAsync(path);

        await Assertions.Expect(page.GetByTestId("workbook-problems")).ToContainTextAsync("WP-001!H7: \"Mostly\" is not one of Yes, Partly, No, Not applicable");
        await Assertions.Expect(page.GetByTestId("workbook-problems")).ToContainTextAsync("nothing was saved");
        Assert.Empty(await BrowserFixture.SeriousAxeViolationsAsync(page));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Scrutineer_FindsEachAgencysWorkbookOnTheAuditPage()
    {
        var auditId = await fixture.ImportAuditAsync(BrowserFixture.TestPackage("Workbook audit page check", "WA-001"));
        var page = await fixture.SignInAsync("scrutineer");
        await BrowserFixture.GotoAsync(page, $"/audits/{auditId}");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Offline workbooks" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId($"workbook-download-{auditId}-police")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId($"workbook-download-{auditId}-education")).ToBeVisibleAsync();
        Assert.Empty(await BrowserFixture.SeriousAxeViolationsAsync(page));
        await page.Context.CloseAsync();
    }
}
