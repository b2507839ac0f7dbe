using AuditTool.Domain.Templates;
using AuditTool.Tests.Support;

namespace AuditTool.Tests.Domain;

public class TemplateJsonTests
{
    public static TheoryData<string> ShippedTemplates()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepoPaths.Templates, "*.json").Order())
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedTemplates))]
    public void ShippedTemplate_ParsesAndValidates_WithAConditionAndAnOverallGradedQuestion(string file)
    {
        var template = TemplateJson.Parse(File.ReadAllText(Path.Combine(RepoPaths.Templates, file)));

        Assert.Empty(TemplateValidator.Validate(template));
        Assert.Contains(template.Questions, q => q.ShowIf is not null);
        var overall = Assert.Single(template.Questions, q => q.Key == "overall");
        Assert.Equal("ofsted4", overall.Scale);
        Assert.All(template.Questions, q => Assert.False(string.IsNullOrWhiteSpace(q.Guidance)));
    }

    [Fact]
    public void ShippedLibrary_HasTheFourTemplatesTheProductPromises()
    {
        var keys = Directory.GetFiles(RepoPaths.Templates, "*.json")
            .Select(f => TemplateJson.Parse(File.ReadAllText(f)).Key).ToHashSet();

        Assert.Superset(new HashSet<string> { "lived-experience", "step-down", "escalation", "education-disengagement" }, keys);
    }

    [Fact]
    public void WriteThenParse_GivesBackTheSameTemplate()
    {
        var original = File.ReadAllText(Path.Combine(RepoPaths.Templates, "lived-experience.json"));
        var once = TemplateJson.Write(TemplateJson.Parse(original));

        var twice = TemplateJson.Write(TemplateJson.Parse(once));

        Assert.Equal(once, twice);
    }

    [Fact]
    public void Parse_NotJson_SaysSoWithTheLine()
    {
        var ex = Assert.Throws<TemplateFormatException>(() => TemplateJson.Parse("{ \"format\": \n oops }"));

        Assert.Contains("$: the file is not valid JSON (line 2", ex.Message);
    }

    [Fact]
    public void Parse_NestedFarTooDeep_SaysHowDeepIsAllowed_NotThatItIsInvalid()
    {
        var deep = new string('[', 100_000) + new string(']', 100_000);

        var ex = Assert.Throws<TemplateFormatException>(() => TemplateJson.Parse(deep));

        Assert.Equal("$: the file is nested deeper than 32 levels (line 1, position 33); no AuditTool file needs that many, so it was not read further.",
            Assert.Single(ex.Problems));
    }

    [Fact]
    public void Parse_WrongShapes_NameEachJsonPath()
    {
        const string json = """
            { "format": "audittool.template/v2", "key": "k", "title": "T",
              "sections": [ { "key": "s", "title": "S", "questions": [
                  { "key": "q1", "text": "Q", "type": "slider" },
                  { "key": "q2", "text": "Q", "type": "choice", "options": [ { "value": "a", "polarity": "great" } ] },
                  { "key": "q3", "text": "Q", "type": "scale", "scale": "rag", "weight": "heavy" } ] } ] }
            """;

        var ex = Assert.Throws<TemplateFormatException>(() => TemplateJson.Parse(json));

        Assert.Contains("$.format: expected \"audittool.template/v1\", found \"audittool.template/v2\".", ex.Problems);
        Assert.Contains(ex.Problems, p => p.StartsWith("$.sections[0].questions[0].type: \"slider\" is not a question type"));
        Assert.Contains(ex.Problems, p => p.StartsWith("$.sections[0].questions[1].options[0].polarity: \"great\""));
        Assert.Contains("$.sections[0].questions[2].weight: expected a number, found the text \"heavy\".", ex.Problems);
    }

    [Fact]
    public void Parse_MissingSections_IsReported()
    {
        var ex = Assert.Throws<TemplateFormatException>(() =>
            TemplateJson.Parse("""{ "format": "audittool.template/v1", "key": "k", "title": "T" }"""));

        Assert.Equal(["$.sections: expected a list of sections."], ex.Problems);
    }
}
