using AuditTool.Domain.DataProtection;

namespace AuditTool.Tests.Domain.DataProtection;

public class IdentifyingTextTests
{
    /// <summary>Text that looks identifying, and what it should be called.</summary>
    public static TheoryData<string, IdentifyingKind, string> TruePositives => new()
    {
        { "Spoke to Mr Smith about the plan", IdentifyingKind.TitledName, "Mr Smith" },
        { "Mrs O'Neill attended", IdentifyingKind.TitledName, "Mrs O'Neill" },
        { "seen by Dr. Patel at the clinic", IdentifyingKind.TitledName, "Dr. Patel" },
        { "Ms Jones, the class teacher", IdentifyingKind.TitledName, "Ms Jones" },
        { "Miss Khan phoned", IdentifyingKind.TitledName, "Miss Khan" },
        { "DOB 12/03/2015", IdentifyingKind.DateOfBirth, "DOB" },
        { "child's d.o.b. was not recorded", IdentifyingKind.DateOfBirth, "d.o.b." },
        { "date of birth not on file", IdentifyingKind.DateOfBirth, "date of birth" },
        { "born on the estate", IdentifyingKind.DateOfBirth, "born on" },
        { "seen 12/03/2015 at home", IdentifyingKind.DateOfBirth, "12/03/2015" },
        { "seen 1-3-15 at home", IdentifyingKind.DateOfBirth, "1-3-15" },
        { "from 12.03.2015", IdentifyingKind.DateOfBirth, "12.03.2015" },
        { "on 2015-03-12", IdentifyingKind.DateOfBirth, "2015-03-12" },
        { "on 12th March 2015 the plan", IdentifyingKind.DateOfBirth, "12th March 2015" },
        { "on Sept 3, 2014 the plan", IdentifyingKind.DateOfBirth, "Sept 3, 2014" },
        { "NHS 943 476 5919 on the letter", IdentifyingKind.NhsNumber, "943 476 5919" },
        { "nhs no 9434765919", IdentifyingKind.NhsNumber, "9434765919" },
        { "number 943-476-5919", IdentifyingKind.NhsNumber, "943-476-5919" },
        { "NI AB 12 34 56 C", IdentifyingKind.NationalInsuranceNumber, "AB 12 34 56 C" },
        { "ni number ce123456d", IdentifyingKind.NationalInsuranceNumber, "ce123456d" },
        { "lives at SW1A 1AA now", IdentifyingKind.Postcode, "SW1A 1AA" },
        { "moved to M1 5AB", IdentifyingKind.Postcode, "M1 5AB" },
        { "address b338th", IdentifyingKind.Postcode, "b338th" },
        { "EC1A 1BB", IdentifyingKind.Postcode, "EC1A 1BB" },
        { "call 01632 960001", IdentifyingKind.PhoneNumber, "01632 960001" },
        { "mobile 07700 900123.", IdentifyingKind.PhoneNumber, "07700 900123" },
        { "on (0161) 496 0000", IdentifyingKind.PhoneNumber, "(0161) 496 0000" },
        { "ring +44 7700 900123", IdentifyingKind.PhoneNumber, "+44 7700 900123" },
        { "ring +44 (0)20 7946 0000", IdentifyingKind.PhoneNumber, "+44 (0)20 7946 0000" },
        { "tel 020-7946-0000", IdentifyingKind.PhoneNumber, "020-7946-0000" },
    };

    /// <summary>Text an evidence note may well hold that must not be called identifying.</summary>
    public static TheoryData<string> FalsePositives => new()
    {
        "Case C-0042 was seen by the social worker",
        "The plan was reviewed at 3 months",
        "Mrs",
        "mr smith",              // no title as written: a title starts with a capital
        "Mr. and Mrs. agreed",   // a title with no name
        "12 Oak Dr was visited", // Dr for Drive, no name after it
        "Mrs. 2 attended",
        "scored 3/4 on the scale",
        "10/10 for voice of the child",
        "attendance 45/100 sessions",
        "version 1.2.3 of the template",
        "32/13/2015 is not a date",
        "In 2015 the family moved",
        "March 2015 review",          // a month and year is not a date of birth
        "Year 9 pupil",
        "NHS 943 476 5918 wrong check digit",
        "1234567890 is not an NHS number",
        "GB123456A is an unissued prefix",
        "AB123456E has no such suffix",
        "QQ123456C is a specimen",
        "vitamin B12 deficiency",
        "SW1A alone is a district",
        "Step 2 of 3",
        "0.7 attendance rate",
        "75% attendance, 5 days' suspension",
        "Tel 999 in an emergency",
        "01234",
        "044 is not a number",
        "The child (aged 9) said",
        "Ofsted rated the school good",
        "Early Help Assessment EHA1 completed",
    };

    [Theory]
    [MemberData(nameof(TruePositives))]
    public void Find_PointsOutTextThatLooksIdentifying(string text, IdentifyingKind kind, string matched)
    {
        var found = IdentifyingText.Find(text);

        Assert.Contains(found, f => f.Kind == kind && f.Text == matched);
    }

    [Theory]
    [MemberData(nameof(FalsePositives))]
    public void Find_LeavesOrdinaryTextAlone(string text)
    {
        Assert.Empty(IdentifyingText.Find(text));
    }

    [Fact]
    public void Find_SaysWhatItLooksLikeAndWhy()
    {
        var found = Assert.Single(IdentifyingText.Find("DOB on file"));

        Assert.Equal("“DOB” looks like a date of birth: case audits use case references only.", found.Message);
    }

    [Fact]
    public void Find_ListsEachInTheOrderWritten()
    {
        var found = IdentifyingText.Find("Mr Smith, 12/03/2015, SW1A 1AA, 07700 900123");

        Assert.Equal([IdentifyingKind.TitledName, IdentifyingKind.DateOfBirth, IdentifyingKind.Postcode, IdentifyingKind.PhoneNumber],
            found.Select(f => f.Kind));
    }

    [Theory]
    [InlineData("9434765919", true)]
    [InlineData("4010232137", true)]
    [InlineData("9434765918", false)]
    [InlineData("1234567890", false)] // check digit would be 10: never issued
    [InlineData("943476591", false)]
    public void IsNhsNumber_ChecksTheModulus11Digit(string digits, bool valid)
    {
        Assert.Equal(valid, IdentifyingText.IsNhsNumber(digits));
    }
}
