using AuditTool.Domain.Templates;
using AuditTool.Tests.Support;

namespace AuditTool.Tests.Domain;

/// <summary>Templates carry the names of their themes: read from and written to the file, checked, and shown.</summary>
public class ThemeNamesTests
{
    private const string Minimal = """
        { "format": "audittool.template/v1", "key": "named", "version": 1, "title": "Named", "scales": {},
          THEMES
          "sections": [ { "key": "s", "title": "S", "questions": [
            { "key": "q", "text": "Was the child seen?", "type": "choice", "options": [
              { "value": "yes", "label": "Yes", "score": 1, "polarity": "positive" },
              { "value": "no", "label": "No", "score": 0, "polarity": "negative" } ], "themes": ["early-help-offer"] } ] } ] }
        """;

    [Fact]
    public void AFilesThemeNames_AreRead_WrittenBack_AndShownInsteadOfTheKey()
    {
        var template = TemplateJson.Parse(Minimal.Replace("THEMES", """ "themeNames": { "early-help-offer": "Offer of Early Help" }, """));

        Assert.Equal("Offer of Early Help", template.ThemeNames["early-help-offer"]);
        Assert.Equal("Offer of Early Help", DisplayNames.Theme("early-help-offer", template.ThemeNames));
        Assert.Equal("Early help offer", DisplayNames.Theme("early-help-offer"));
        var again = TemplateJson.Parse(TemplateJson.Write(template));
        Assert.Equal(template.ThemeNames, again.ThemeNames);
        Assert.Equal(TemplateJson.Write(template), TemplateJson.Write(again));
    }

    [Theory]
    [InlineData(""" "themeNames": ["voice-of-child"], """, "$.themeNames: expected an object")]
    [InlineData(""" "themeNames": { "early-help-offer": 3 }, """, "$.themeNames.early-help-offer: expected a name of 1 to 100 characters")]
    [InlineData(""" "themeNames": { "early-help-offer": "  " }, """, "$.themeNames.early-help-offer: expected a name of 1 to 100 characters")]
    [InlineData(""" "themeNames": { "Early Help": "Early Help" }, """, "$.themeNames.Early Help: a theme key is lowercase")]
    public void BadThemeNames_AreRefusedWithWhereAndWhy(string themes, string problem)
    {
        var ex = Assert.Throws<TemplateFormatException>(() => TemplateJson.Parse(Minimal.Replace("THEMES", themes)));
        Assert.Contains(ex.Problems, p => p.StartsWith(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void ANameLongerThanAHundredCharacters_IsRefused()
    {
        var name = new string('a', TemplateDefinition.MaxThemeNameLength + 1);
        var ex = Assert.Throws<TemplateFormatException>(() =>
            TemplateJson.Parse(Minimal.Replace("THEMES", $$""" "themeNames": { "early-help-offer": "{{name}}" }, """)));
        Assert.Contains(ex.Problems, p => p.StartsWith("$.themeNames.early-help-offer: expected a name of 1 to 100 characters", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TemplateJsonTests.ShippedTemplates), MemberType = typeof(TemplateJsonTests))]
    public void EveryShippedTemplate_NamesEveryThemeItUses(string file)
    {
        var template = TemplateJson.Parse(File.ReadAllText(Path.Combine(RepoPaths.Templates, file)));

        var used = template.Questions.SelectMany(q => q.Themes).ToHashSet();
        Assert.NotEmpty(used);
        Assert.Equal(used.Order(), template.ThemeNames.Keys.Order());
        Assert.All(template.ThemeNames, n => Assert.NotEqual(n.Key, n.Value));
    }

    [Fact]
    public void AVersionStoredBeforeTemplatesNamedThemes_MatchesTheShippedFileThatNamesThemTheSame_ButNotOtherNames()
    {
        var file = TemplateJson.Parse(File.ReadAllText(Path.Combine(RepoPaths.Templates, "step-down.json")));
        var storedBefore = file with { ThemeNames = new Dictionary<string, string>() };

        Assert.True(TemplateJson.SameContent(storedBefore, file));
        Assert.True(TemplateJson.SameContent(file, file));
        var renamed = file with { ThemeNames = new Dictionary<string, string>(file.ThemeNames) { ["consent"] = "Consent and engagement" } };
        Assert.False(TemplateJson.SameContent(storedBefore, renamed));
        Assert.False(TemplateJson.SameContent(file, renamed));
    }
}
