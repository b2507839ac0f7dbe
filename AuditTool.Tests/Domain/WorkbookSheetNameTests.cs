using AuditTool.Domain.Workbooks;

namespace AuditTool.Tests.Domain;

public class WorkbookSheetNameTests
{
    [Fact]
    public void SheetNames_AreTheCaseReferences_WhereASpreadsheetAllowsThem()
    {
        Assert.Equal(["DD-003", "C_014", "A.1"], WorkbookFormat.SheetNames(["DD-003", "C_014", "A.1"]));
    }

    [Fact]
    public void SheetNames_ReplaceForbiddenCharacters_AndStayUnique()
    {
        var names = WorkbookFormat.SheetNames(["C/001", "C-001", "instructions", new string('x', 40), new string('x', 35)]);

        Assert.Equal("C-001", names[0]);
        Assert.Equal("C-001~2", names[1]);
        Assert.Equal("instructions~2", names[2]);
        Assert.Equal(new string('x', 31), names[3]);
        Assert.Equal(new string('x', 29) + "~2", names[4]);
        Assert.All(names, n => Assert.True(n.Length <= 31));
    }

    [Fact]
    public void SheetNames_AreTheSameEveryTime_SoTheUploadFindsEachReturn()
    {
        string[] refs = ["K/1", "K-1", "K:1"];

        Assert.Equal(WorkbookFormat.SheetNames(refs), WorkbookFormat.SheetNames(refs));
        Assert.Equal(["K-1", "K-1~2", "K-1~3"], WorkbookFormat.SheetNames(refs));
    }
}
