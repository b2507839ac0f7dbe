using AuditTool.Domain.Sampling;
using static AuditTool.Tests.Domain.Sampling.SamplingData;

namespace AuditTool.Tests.Domain.Sampling;

public class CohortTests
{
    [Fact]
    public void ToCohort_MakesOneCasePerRow_WithEveryOtherColumnAsAnAttribute()
    {
        var cohort = DeepDive();

        Assert.Equal(10, cohort.Rows.Count);
        Assert.Equal(["locality", "age", "attendance", "suspension days", "send", "plan type"], cohort.Attributes);
        var seventh = cohort.Rows[6];
        Assert.Equal((6, "C-007"), (seventh.Position, seventh.Ref));
        Assert.Equal("62.5%", seventh.Attributes["attendance"]);
        Assert.Equal("CIN", seventh.Attributes["plan type"]);
        Assert.False(seventh.Attributes.ContainsKey("ref"));
    }

    [Fact]
    public void ToCohort_WithoutTheReferenceColumn_ListsTheColumns()
    {
        var table = Parse("case,locality,age\nC-001,Stockton,14\n");

        var ex = Assert.Throws<CohortException>(() => CohortCsv.ToCohort(table, "ref"));

        Assert.Equal("There is no column called 'ref'. Columns: case, locality, age.", ex.Message);
    }

    [Fact]
    public void ToCohort_RowWithoutAReference_IsNamedByRowNumber()
    {
        var ex = Assert.Throws<CohortException>(() => CohortOf("ref,age\nC-001,14\n  ,12\n"));

        Assert.Equal("Row 3 has no case reference.", Assert.Single(ex.Problems));
    }

    [Fact]
    public void ToCohort_DuplicateReferences_NameEveryRowTheyAppearOn()
    {
        var csv = "ref,age\nC-001,1\nC-002,2\nC-004,3\nC-003,4\nC-005,5\nC-006,6\nC-007,7\nc-004,8\n";

        var ex = Assert.Throws<CohortException>(() => CohortOf(csv));

        Assert.Equal("The case reference 'C-004' appears on rows 4 and 9: references must be unique.", Assert.Single(ex.Problems));
    }

    [Fact]
    public void ToCohort_ReferenceLongerThan64Characters_IsAProblem()
    {
        var ex = Assert.Throws<CohortException>(() => CohortOf($"ref,age\n{new string('x', 64)},1\n{new string('y', 65)},2\n"));

        Assert.Equal("The case reference on row 3 is 65 characters long; a case reference may have at most 64.", Assert.Single(ex.Problems));
    }

    [Fact]
    public void ToCohort_ColumnIsNumeric_WhenEveryFilledCellIsANumber()
    {
        var cohort = CohortOf("""
            ref,attendance,age,send,notes
            C-001,62.5%,14,None,
            C-002,,15,EHCP,
            C-003,70,unknown,SEN support,
            """);

        Assert.Equal(["attendance"], cohort.NumericAttributes.Order());
        Assert.Contains("Attendance", cohort.NumericAttributes); // attribute names ignore case, as headers do
    }
}
