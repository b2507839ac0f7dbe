using AuditTool.Domain.Agencies;
using AuditTool.Domain.Audits;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

/// <summary>
/// A long evidence note is folded to a few lines with "Show all" (a moderation row stays one screen tall), and a return
/// shown to a scrutineer puts the page's own agency first among the case's answers.
/// </summary>
[Collection(BrowserCollection.Name)]
public class LongNotesTests(BrowserFixture fixture)
{
    private static readonly string LongNote = string.Join(" ", Enumerable.Repeat(
        "The school recorded each absence and the attendance officer visited the home twice, but nobody asked the child why.", 44));

    private async Task<long> AuditWithALongNoteAsync(string title, params string[] caseRefs)
    {
        Assert.True(LongNote.Length > 5_000);
        var package = BrowserFixture.ModerationPackage(title, caseRefs)
            .Replace($"\"Secret evidence {caseRefs[0]}\"", $"\"{LongNote}\"");
        return await fixture.ImportAuditAsync(package);
    }

    [Fact]
    public async Task AFiveThousandCharacterNote_IsFoldedOnTheModerationPage_UntilShowAll()
    {
        var auditId = await AuditWithALongNoteAsync("Long note moderation check", "LN-001", "LN-002");
        var page = await fixture.SignInAsync("scrutineer");
        await page.SetViewportSizeAsync(1280, 800);
        await BrowserFixture.GotoAsync(page, $"/audits/{auditId}/moderation");
        // The first case (LN-001, with the long note) is shown first.
        await Assertions.Expect(page.Locator("#moderation-case option:checked")).ToContainTextAsync("LN-001");
        var row = page.GetByTestId("moderation-overall");
        await Assertions.Expect(row).ToBeVisibleAsync();
        var showAll = row.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Show all") });
        await Assertions.Expect(showAll).ToHaveAttributeAsync("aria-expanded", "false");
        var folded = (await row.BoundingBoxAsync())!.Height;
        Assert.True(folded < 400, $"the folded row is {folded} px tall on an 800 px screen");

        // Keyboard: focus the button and press Enter.
        await showAll.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var showLess = row.GetByRole(AriaRole.Button, new() { Name = "Show less" });
        await Assertions.Expect(showLess).ToHaveAttributeAsync("aria-expanded", "true");
        var open = (await row.BoundingBoxAsync())!.Height;
        Assert.True(open > folded * 2, $"unfolded the row is {open} px, folded {folded} px");
        // The whole note is on screen, to its last words.
        var note = row.Locator(".evidence-text").First;
        var box = (await note.BoundingBoxAsync())!;
        var scrollHeight = await note.EvaluateAsync<double>("e => e.scrollHeight");
        Assert.True(box.Height >= scrollHeight - 1, $"the note shows {box.Height} of {scrollHeight} px");

        await showLess.ClickAsync();
        await Assertions.Expect(showAll).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AReturnShownToAScrutineer_PutsThePagesOwnAgencyFirst()
    {
        var auditId = await AuditWithALongNoteAsync("Own agency first check", "OA-001");
        var audits = fixture.App.Services.GetRequiredService<IAuditRepository>();
        var agencies = fixture.App.Services.GetRequiredService<IAgencyRepository>();
        var education = (await agencies.GetAllAsync()).Single(a => a.Key == "education");
        var educationReturn = (await audits.GetReturnsAsync(auditId)).Single(r => r.AgencyId == education.Id);

        var page = await fixture.SignInAsync("scrutineer");
        await BrowserFixture.GotoAsync(page, $"/returns/{educationReturn.Id}");
        var table = page.GetByTestId("answers-table");
        var headers = table.Locator("thead th");
        await Assertions.Expect(headers).ToHaveCountAsync(3);
        await Assertions.Expect(headers.Nth(1)).ToContainTextAsync("Schools and Education Services");
        await Assertions.Expect(headers.Nth(2)).ToContainTextAsync("Cleveland Police");
        // On screen, left to right: the question, the page's own agency, then the other.
        var own = (await headers.Nth(1).BoundingBoxAsync())!;
        var other = (await headers.Nth(2).BoundingBoxAsync())!;
        Assert.True(own.X < other.X, $"own agency at x={own.X}, the other at x={other.X}");
        await page.Context.CloseAsync();
    }
}
