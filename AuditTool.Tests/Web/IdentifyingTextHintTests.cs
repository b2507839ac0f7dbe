using AuditTool.Web.Components.Shared;
using Bunit;

namespace AuditTool.Tests.Web;

public class IdentifyingTextHintTests : BunitContext
{
    [Fact]
    public void Hint_SaysWhatLooksIdentifying_AsAStatus()
    {
        var cut = Render<IdentifyingTextHint>(p => p.Add(c => c.Id, "evidence-identifying-q1").Add(c => c.Text, "Seen with mum, DOB 12/03/2015, by Mr Smith"));

        var hint = cut.Find("#evidence-identifying-q1");
        Assert.Equal("status", hint.GetAttribute("role"));
        var items = cut.FindAll(".identifying-item").Select(e => e.TextContent.Trim()).ToList();
        Assert.Equal(
        [
            "This looks like a date of birth (“DOB”): case audits use case references only.",
            "This looks like a date of birth (“12/03/2015”): case audits use case references only.",
            "This looks like a person's name (“Mr Smith”): case audits use case references only.",
        ], items);
        Assert.Contains("You can still save it", hint.TextContent);
    }

    [Fact]
    public void Hint_IsEmptyButPresent_ForOrdinaryText()
    {
        var cut = Render<IdentifyingTextHint>(p => p.Add(c => c.Id, "h").Add(c => c.Text, "Step-down plan agreed with the family"));

        var hint = cut.Find("#h");
        Assert.Equal("status", hint.GetAttribute("role"));
        Assert.Equal(string.Empty, hint.TextContent.Trim());
    }

    [Fact]
    public void Hint_FollowsTheText_AsItChanges()
    {
        var cut = Render<IdentifyingTextHint>(p => p.Add(c => c.Id, "h").Add(c => c.Text, "Plan agreed"));

        cut.Render(p => p.Add(c => c.Text, "Plan agreed; call 07700 900123"));

        Assert.Contains("a phone number (“07700 900123”)", cut.Find("#h").TextContent);
    }
}
