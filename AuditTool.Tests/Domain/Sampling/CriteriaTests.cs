using AuditTool.Domain.Sampling;
using static AuditTool.Tests.Domain.Sampling.SamplingData;

namespace AuditTool.Tests.Domain.Sampling;

public class CriteriaTests
{
    [Theory]
    [InlineData("SEN support", true)]
    [InlineData("  sen SUPPORT ", true)]
    [InlineData("SEN", false)]
    [InlineData("", false)]
    public void Equals_IgnoresCaseAndSurroundingSpaces(string cell, bool expected)
    {
        Assert.Equal(expected, CriteriaRules.Matches(Only(Is("send", " SEN support")), Case(("send", cell))));
    }

    [Theory]
    [InlineData("CIN", true)]
    [InlineData("cp", true)]
    [InlineData("Early Help", false)]
    public void In_MatchesAnyOfItsValues(string cell, bool expected)
    {
        Assert.Equal(expected, CriteriaRules.Matches(Only(In("plan type", "CIN", "CP")), Case(("plan type", cell))));
    }

    [Theory]
    [InlineData("69", true)]
    [InlineData("70", true)]
    [InlineData("70.0", true)]
    [InlineData("70%", true)]
    [InlineData("70.01", false)]
    [InlineData("71", false)]
    public void AtMost_IncludesTheLimit(string attendance, bool expected)
    {
        Assert.Equal(expected, CriteriaRules.Matches(Only(AtMost("attendance", "70")), Case(("attendance", attendance))));
    }

    [Theory]
    [InlineData("5", true)]
    [InlineData("12", true)]
    [InlineData("4.5", false)]
    [InlineData("-5", false)]
    public void AtLeast_IncludesTheLimit(string days, bool expected)
    {
        Assert.Equal(expected, CriteriaRules.Matches(Only(AtLeast("suspension days", "5")), Case(("suspension days", days))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not known")]
    [InlineData("NaN")]
    public void NumericCondition_NeverMatchesAnEmptyOrNonNumericCell(string cell)
    {
        var row = Case(("attendance", cell));

        Assert.False(CriteriaRules.Matches(Only(AtMost("attendance", "70")), row));
        Assert.False(CriteriaRules.Matches(Only(AtLeast("attendance", "0")), row));
    }

    [Fact]
    public void DeepDiveCriteria_SelectPoorAttendanceOrSuspension_AndSenSupport()
    {
        var cohort = DeepDive();

        var eligible = cohort.Rows.Where(row => CriteriaRules.Matches(DeepDiveCriteria, row));

        Assert.Equal(DeepDiveEligible, Refs(eligible));
    }

    [Fact]
    public void None_MatchesEveryCase()
    {
        var cohort = DeepDive();

        Assert.All(cohort.Rows, row => Assert.True(CriteriaRules.Matches(SampleCriteria.None, row)));
        Assert.Empty(CriteriaRules.Validate(SampleCriteria.None, cohort));
    }

    [Fact]
    public void Validate_AcceptsTheDeepDiveCriteria()
    {
        Assert.Empty(CriteriaRules.Validate(DeepDiveCriteria, DeepDive()));
    }

    [Fact]
    public void Validate_NumericConditionNeedsANumber()
    {
        var problems = CriteriaRules.Validate(Only(AtMost("attendance", "seventy")), DeepDive());

        Assert.Equal(["'attendance' at most 'seventy': the value must be a number."], problems);
    }

    [Fact]
    public void Validate_UnknownAttribute_IsAProblem()
    {
        var problems = CriteriaRules.Validate(Only(Is("ethnicity", "x")), DeepDive());

        Assert.Equal(["There is no attribute called 'ethnicity'."], problems);
    }

    [Fact]
    public void Validate_NumericOperatorOnATextAttribute_IsAProblem()
    {
        var problems = CriteriaRules.Validate(Only(AtLeast("send", "2")), DeepDive());

        Assert.Equal(["'send' is text in this cohort, so it cannot be compared with at most/at least."], problems);
    }

    [Fact]
    public void Validate_WrongNumberOfValuesAndEmptyGroups_AreProblems()
    {
        var criteria = AllOf(
            AnyOf(new Criterion("send", CriterionOperator.Equals, ["None", "EHCP"])),
            AnyOf(),
            AnyOf(In("plan type")));

        var problems = CriteriaRules.Validate(criteria, DeepDive());

        Assert.Equal(
        [
            "The condition on 'send' (equals) needs exactly one value; it has 2.",
            "Condition group 2 is empty: it needs at least one condition.",
            "The condition on 'plan type' (is one of) needs at least one value.",
        ], problems);
    }

    [Fact]
    public void Describe_PutsBracketsOnlyAroundGroupsOfAlternatives()
    {
        Assert.Equal(
            "(attendance at most 70 or suspension days at least 5) and send equals \"SEN support\"",
            CriteriaRules.Describe(DeepDiveCriteria));
    }

    [Fact]
    public void Describe_NamesEveryValueOfAnInCondition_AndTheWholeCohortForNone()
    {
        Assert.Equal(
            "plan type is one of \"Early Help\", \"CIN\" or \"CP\" and locality equals \"Stockton\"",
            CriteriaRules.Describe(AllOf(AnyOf(In("plan type", "Early Help", "CIN", "CP")), AnyOf(Is("locality", "Stockton")))));
        Assert.Equal("every case in the cohort", CriteriaRules.Describe(SampleCriteria.None));
    }

    [Fact]
    public void ToJson_WritesTheStableShape()
    {
        var json = CriteriaRules.ToJson(AllOf(AnyOf(AtMost("attendance", "70")), AnyOf(In("plan type", "CIN", "CP"))));

        Assert.Equal(
            """{"allOf":[{"anyOf":[{"attribute":"attendance","operator":"at-most","values":["70"]}]},""" +
            """{"anyOf":[{"attribute":"plan type","operator":"in","values":["CIN","CP"]}]}]}""",
            json);
    }

    [Fact]
    public void Json_RoundTripsEveryOperator()
    {
        var criteria = AllOf(
            AnyOf(AtMost("attendance", "70"), AtLeast("suspension days", "5")),
            AnyOf(Is("send", "SEN support"), In("plan type", "CIN", "Children's \"CP\"")));

        var back = CriteriaRules.FromJson(CriteriaRules.ToJson(criteria));

        Assert.Equal(CriteriaRules.ToJson(criteria), CriteriaRules.ToJson(back));
        Assert.Equal(CriteriaRules.Describe(criteria), CriteriaRules.Describe(back));
        Assert.Equal(
            [CriterionOperator.AtMost, CriterionOperator.AtLeast, CriterionOperator.Equals, CriterionOperator.In],
            back.AllOf.SelectMany(g => g.AnyOf).Select(c => c.Operator));
        Assert.Equal(["CIN", "Children's \"CP\""], back.AllOf[1].AnyOf[1].Values);
    }

    [Theory]
    [InlineData("", "The sample criteria are not valid JSON")]
    [InlineData("{\"allOf\":[", "The sample criteria are not valid JSON")]
    [InlineData("[]", "The sample criteria at $: expected an object, found a list.")]
    [InlineData("{}", "The sample criteria at $: 'allOf' is missing.")]
    [InlineData("""{"allOf":[{"anyOf":[{"attribute":"age","operator":"below","values":["5"]}]}]}""",
        "The sample criteria at $.allOf[0].anyOf[0].operator: 'below' is not one of equals, in, at-most, at-least.")]
    [InlineData("""{"allOf":[{"anyOf":[{"attribute":"age","operator":"at-most","values":[5]}]}]}""",
        "The sample criteria at $.allOf[0].anyOf[0].values[0]: expected text, found a number.")]
    public void FromJson_MalformedInput_SaysWhatIsWrong(string json, string expectedStart)
    {
        var ex = Assert.Throws<CohortException>(() => CriteriaRules.FromJson(json));

        Assert.StartsWith(expectedStart, ex.Message);
    }
}
