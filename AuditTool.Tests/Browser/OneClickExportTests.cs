using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

/// <summary>The Excel export is one click: the workbook downloads by itself when it is ready, with nothing more to press.</summary>
[Collection(BrowserCollection.Name)]
public class OneClickExportTests(BrowserFixture fixture)
{
    [Fact]
    public async Task OneClickOnExportToExcel_DownloadsTheWorkbook_AndSaysSo()
    {
        var page = await fixture.SignInAsync("scrutineer");
        await BrowserFixture.GotoAsync(page, "/audits/1");

        var download = await page.RunAndWaitForDownloadAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Export to Excel" }).ClickAsync(),
            new() { Timeout = BrowserFixture.PatienceMs });

        Assert.EndsWith(".xlsx", download.SuggestedFilename);
        var file = await download.PathAsync();
        var bytes = await File.ReadAllBytesAsync(file);
        Assert.True(bytes.Length > 1000, $"the workbook has {bytes.Length} bytes");
        Assert.Equal((byte)'P', bytes[0]); // a zip: the workbook
        Assert.Equal((byte)'K', bytes[1]);

        var done = page.GetByTestId("export-done");
        await Assertions.Expect(done).ToContainTextAsync($"The workbook {download.SuggestedFilename} is ready and downloads now.");
        // The button is there again for a fresh copy.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Export to Excel" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
