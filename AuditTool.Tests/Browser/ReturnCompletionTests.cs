using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace AuditTool.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class ReturnCompletionTests(BrowserFixture fixture)
{
    private async Task<IPage> OpenReturnAsync(string user, string caseRef)
    {
        var page = await fixture.SignInAsync(user);
        await page.GetByTestId($"return-link-{caseRef}").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/returns/[0-9]+$"));
        await Assertions.Expect(page.GetByTestId("save-state")).ToBeAttachedAsync();
        return page;
    }

    private static ILocator Question(IPage page, string key) => page.Locator($"[data-question='{key}']");

    [Fact]
    public async Task Auditor_AnswersThreeQuestions_Reloads_AndSeesAllThree()
    {
        await fixture.ImportAuditAsync(BrowserFixture.TestPackage("Reload check", "RL-001"));
        var page = await OpenReturnAsync("police.auditor", "RL-001");

        await Question(page, "seen-alone").GetByLabel("Partly").CheckAsync();
        await Assertions.Expect(page.GetByTestId("saved-seen-alone")).ToBeVisibleAsync();
        await Question(page, "voice-recorded").GetByLabel("Yes", new() { Exact = true }).CheckAsync();
        await Assertions.Expect(page.GetByTestId("saved-voice-recorded")).ToBeVisibleAsync();
        await Question(page, "days-to-escalation").GetByLabel("How many days passed before the concern was escalated?").FillAsync("12");
        await page.GetByLabel("Evidence for “Was the child seen alone?” (optional)").FillAsync("Seen at home with mother present.");
        await page.GetByLabel("Evidence for “Was the child seen alone?” (optional)").BlurAsync();
        // Every save is back before the reload: the number (saved when focus left it) and the evidence note.
        await Assertions.Expect(page.GetByTestId("saved-days-to-escalation")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("saved-evidence-seen-alone")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("return-status")).ToHaveTextAsync("In progress");

        await page.ReloadAsync();
        await BrowserFixture.WaitForInteractiveAsync(page);

        await Assertions.Expect(Question(page, "seen-alone").GetByLabel("Partly")).ToBeCheckedAsync();
        await Assertions.Expect(Question(page, "voice-recorded").GetByLabel("Yes", new() { Exact = true })).ToBeCheckedAsync();
        await Assertions.Expect(Question(page, "days-to-escalation").Locator("input")).ToHaveValueAsync("12");
        await Assertions.Expect(page.GetByLabel("Evidence for “Was the child seen alone?” (optional)")).ToHaveValueAsync("Seen at home with mother present.");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SameReturnInTwoPages_AnAnswerChangedInOne_AppearsInTheOther()
    {
        await fixture.ImportAuditAsync(BrowserFixture.TestPackage("Two tabs check", "TT-001"));
        var first = await OpenReturnAsync("education.auditor", "TT-001");
        var second = await first.Context.NewPageAsync();
        await BrowserFixture.GotoAsync(second, first.Url);
        await Assertions.Expect(second.GetByTestId("save-state")).ToBeAttachedAsync();

        await Question(first, "seen-alone").GetByLabel("Yes", new() { Exact = true }).CheckAsync();
        await Assertions.Expect(first.GetByTestId("saved-seen-alone")).ToBeVisibleAsync();
        await Assertions.Expect(Question(second, "seen-alone").GetByLabel("Yes", new() { Exact = true })).ToBeCheckedAsync();
        // The condition follows too: the dependent question appears in the other page.
        await Assertions.Expect(Question(second, "voice-recorded")).ToBeVisibleAsync();
        await Question(second, "seen-alone").GetByLabel("No", new() { Exact = true }).CheckAsync();
        await Assertions.Expect(second.GetByTestId("saved-seen-alone")).ToBeVisibleAsync();
        await Assertions.Expect(Question(first, "seen-alone").GetByLabel("No", new() { Exact = true })).ToBeCheckedAsync();
        await Assertions.Expect(Question(first, "voice-recorded")).ToHaveCountAsync(0);

        // An answer that decides nothing else shown is read alone by the other page: a number, then an evidence note.
        var days = Question(second, "days-to-escalation").GetByLabel("How many days passed before the concern was escalated?");
        await days.FillAsync("9");
        await days.BlurAsync();
        await Assertions.Expect(second.GetByTestId("saved-days-to-escalation")).ToBeVisibleAsync();
        await Assertions.Expect(Question(first, "days-to-escalation").Locator("input")).ToHaveValueAsync("9");
        const string Evidence = "Evidence for “Was the child seen alone?” (optional)";
        await first.GetByLabel(Evidence).FillAsync("Seen at school with the class teacher.");
        await first.GetByLabel(Evidence).BlurAsync();
        await Assertions.Expect(first.GetByTestId("saved-evidence-seen-alone")).ToBeVisibleAsync();
        await Assertions.Expect(second.GetByLabel(Evidence)).ToHaveValueAsync("Seen at school with the class teacher.");
        // The saving pages kept what they had: their own news read nothing back over it.
        await Assertions.Expect(Question(second, "days-to-escalation").Locator("input")).ToHaveValueAsync("9");
        await Assertions.Expect(first.GetByLabel(Evidence)).ToHaveValueAsync("Seen at school with the class teacher.");
        await first.Context.CloseAsync();
    }

    /// <summary>
    /// Evidence typed and the page left at once, in each way a person leaves: Back, a reload, closing the tab. The note
    /// is there when the return is opened again (no waiting for the typing pause before leaving).
    /// </summary>
    [Theory]
    [InlineData("back")]
    [InlineData("reload")]
    [InlineData("close")]
    public async Task EvidenceTyped_ThenLeavingAtOnce_IsSaved(string leave)
    {
        var caseRef = $"QL-{leave.ToUpperInvariant()}";
        await fixture.ImportAuditAsync(BrowserFixture.TestPackage($"Quick leave {leave}", caseRef));
        var page = await OpenReturnAsync("police.auditor", caseRef);
        var returnUrl = page.Url;
        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        var note = $"Typed just before leaving by {leave}: the school nurse saw the child on Monday.";
        var evidence = page.GetByLabel("Evidence for “Was the child seen alone?” (optional)");

        await evidence.FillAsync(note);
        switch (leave)
        {
            case "back":
                await page.GoBackAsync();
                // Back inside the app waits for the save, then shows the start page: wait for it before going on.
                await Assertions.Expect(page.GetByTestId("role-line")).ToBeVisibleAsync();
                break;
            case "reload":
                await page.ReloadAsync();
                break;
            default:
                await page.CloseAsync();
                break;
        }

        var again = leave == "close" ? await page.Context.NewPageAsync() : page;
        await BrowserFixture.GotoAsync(again, returnUrl);
        await Assertions.Expect(again.GetByLabel("Evidence for “Was the child seen alone?” (optional)")).ToHaveValueAsync(note);
        await again.Context.CloseAsync();
    }

    [Fact]
    public async Task APastedNoteOverTheLimit_IsNeitherCutNorSaved_AndThePageSaysSo()
    {
        await fixture.ImportAuditAsync(BrowserFixture.TestPackage("Long note check", "LN-001"));
        var page = await OpenReturnAsync("police.auditor", "LN-001");
        var evidence = page.GetByLabel("Evidence for “Was the child seen alone?” (optional)");
        await evidence.FillAsync("The note saved before the paste.");
        await evidence.BlurAsync();
        await Assertions.Expect(page.GetByTestId("saved-evidence-seen-alone")).ToBeVisibleAsync();

        await Assertions.Expect(page.GetByTestId("save-state")).ToHaveAttributeAsync("data-saves", "1");

        var near = new string('n', 9_500);
        await evidence.FillAsync(near);
        await Assertions.Expect(page.Locator("#evidence-count-seen-alone")).ToHaveTextAsync("9,500 of 10,000 characters");
        await evidence.BlurAsync();
        await Assertions.Expect(page.GetByTestId("save-state")).ToHaveAttributeAsync("data-saves", "2");
        var pasted = new string('x', 30_000);
        await evidence.FillAsync(pasted);
        await evidence.BlurAsync();

        await Assertions.Expect(page.Locator("#evidence-count-seen-alone")).ToContainTextAsync("Too long: 30,000 characters, and the limit is 10,000");
        await Assertions.Expect(page.Locator("#evidence-count-seen-alone")).ToContainTextAsync("has not been saved");
        Assert.Equal(30_000, (await evidence.InputValueAsync()).Length);
        await Assertions.Expect(page.GetByTestId("save-state")).ToHaveAttributeAsync("data-pending", "false");
        Assert.Equal("2", await page.GetByTestId("save-state").GetAttributeAsync("data-saves"));
        await page.ReloadAsync();
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.GetByLabel("Evidence for “Was the child seen alone?” (optional)")).ToHaveValueAsync(near);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Submit_ListsMissingRequiredQuestions_ThenSubmits()
    {
        await fixture.ImportAuditAsync(BrowserFixture.TestPackage("Submit check", "SB-001"));
        var page = await OpenReturnAsync("police.auditor", "SB-001");

        await Question(page, "seen-alone").GetByLabel("No", new() { Exact = true }).CheckAsync();
        await Assertions.Expect(page.GetByTestId("saved-seen-alone")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit return" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Alertdialog);
        await Assertions.Expect(confirm).ToContainTextAsync("Submit the return for case SB-001 from Cleveland Police? It becomes read only");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Submit", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("missing")).ToContainTextAsync("Overall, how good was this agency's practice?");
        await Assertions.Expect(page.GetByTestId("missing")).Not.ToContainTextAsync("Is the child's voice recorded");
        await Question(page, "overall").GetByLabel("Good").CheckAsync();
        await Assertions.Expect(page.GetByTestId("saved-overall")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit return" }).ClickAsync();
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Submit", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("submitted")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("answers-table")).ToContainTextAsync("Good");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Auditor_OpeningAnotherAgencysReturnByAddress_IsRefused()
    {
        await fixture.ImportAuditAsync(BrowserFixture.TestPackage("Forged address check", "FA-001"));
        var education = await OpenReturnAsync("education.auditor", "FA-001");
        var address = education.Url;
        await education.Context.CloseAsync();

        var police = await fixture.SignInAsync("police.auditor");
        await BrowserFixture.GotoAsync(police, address);

        await Assertions.Expect(police.GetByTestId("return-error")).ToHaveTextAsync("You do not have access to this return.");
        await police.Context.CloseAsync();
    }
}
