using System.Globalization;
using System.Text.RegularExpressions;

namespace AuditTool.Domain.DataProtection;

public enum IdentifyingKind
{
    TitledName,
    DateOfBirth,
    NhsNumber,
    NationalInsuranceNumber,
    Postcode,
    PhoneNumber,
}

/// <summary>One piece of text that looks as if it identifies someone, where it is in the text, and what it looks like.</summary>
public sealed record IdentifyingMatch(IdentifyingKind Kind, string Text, int Index)
{
    public string Looks => IdentifyingText.Describe(Kind);

    /// <summary>What the writer is told: "“12/03/2015” looks like a date of birth: case audits use case references only".</summary>
    public string Message => $"“{Text}” looks like {Looks}: case audits use case references only.";
}

/// <summary>
/// Points out text in an evidence note or a quote that looks as if it identifies a person: a name with a title, a date
/// of birth (or any full date, which may be one), an NHS number whose check digit is right, a National Insurance number,
/// a UK postcode or a UK phone number. It only warns: the writer may still save. Pure, so it is tested on a table.
/// </summary>
public static partial class IdentifyingText
{
    // A title, then a capitalised word: "Mr Smith", "Dr. O'Neill". Lower-case "dr" or a title alone is not a name.
    [GeneratedRegex(@"(?<![\p{L}])(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+\p{Lu}(?:\p{Ll}|['’-]\p{L})+", RegexOptions.CultureInvariant)]
    private static partial Regex TitledName();

    [GeneratedRegex(@"(?<![\p{L}])(?:D\.?O\.?B\.?|date\s+of\s+birth|born\s+on)(?![\p{L}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BirthWords();

    // 12/03/2015, 12-3-15, 12.03.2015, 2015-03-12.
    [GeneratedRegex(@"(?<![\d/.-])(?:(?<d>\d{1,2})[/.-](?<m>\d{1,2})[/.-](?<y>\d{4}|\d{2})|(?<y>\d{4})-(?<m>\d{1,2})-(?<d>\d{1,2}))(?![\d/.-]*\d)", RegexOptions.CultureInvariant)]
    private static partial Regex NumericDate();

    // 12 March 2015, 12th Mar 2015, March 12, 2015.
    [GeneratedRegex(@"(?<![\p{L}\d])(?:(?<d>\d{1,2})(?:st|nd|rd|th)?\s+(?<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+(?<y>\d{4})|(?<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?<y>\d{4}))(?![\d])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WordDate();

    [GeneratedRegex(@"(?<![\d])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d])", RegexOptions.CultureInvariant)]
    private static partial Regex TenDigits();

    // Two prefix letters (D, F, I, Q, U, V never; O never second), six digits, a suffix A to D; BG, GB, NK, KN, TN, NT, ZZ are never issued.
    [GeneratedRegex(@"(?<![\p{L}\d])(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![\p{L}\d])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NationalInsurance();

    [GeneratedRegex(@"(?<![\p{L}\d])(?:GIR ?0AA|[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRVWXY]) ?\d[ABD-HJLNP-UW-Z]{2})(?![\p{L}\d])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Postcode();

    // 01632 960001, (0161) 496 0000, 07700 900123, +44 7700 900123, +44 (0)20 7946 0000; the digits are counted after.
    [GeneratedRegex(@"(?<![\d+])(?:\+44\s?(?:\(0\)\s?)?|\(0|0)\d[\d)]*(?:[ -]\d+)*(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Phone();

    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    public static string Describe(IdentifyingKind kind) => kind switch
    {
        IdentifyingKind.TitledName => "a person's name",
        IdentifyingKind.DateOfBirth => "a date of birth",
        IdentifyingKind.NhsNumber => "an NHS number",
        IdentifyingKind.NationalInsuranceNumber => "a National Insurance number",
        IdentifyingKind.Postcode => "a postcode",
        IdentifyingKind.PhoneNumber => "a phone number",
        _ => "something that identifies a person",
    };

    /// <summary>Everything in the text that looks identifying, in the order it appears; empty when nothing does.</summary>
    public static IReadOnlyList<IdentifyingMatch> Find(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var found = new List<IdentifyingMatch>();
        void Add(IdentifyingKind kind, Match m) => found.Add(new IdentifyingMatch(kind, m.Value.Trim(), m.Index));

        foreach (Match m in TitledName().Matches(text))
        {
            Add(IdentifyingKind.TitledName, m);
        }

        foreach (Match m in BirthWords().Matches(text))
        {
            Add(IdentifyingKind.DateOfBirth, m);
        }

        foreach (Match m in NumericDate().Matches(text))
        {
            if (IsDate(m.Groups["d"].Value, m.Groups["m"].Value))
            {
                Add(IdentifyingKind.DateOfBirth, m);
            }
        }

        foreach (Match m in WordDate().Matches(text))
        {
            var month = Array.IndexOf(Months, m.Groups["mon"].Value[..3].ToLowerInvariant()) + 1;
            if (month > 0 && IsDate(m.Groups["d"].Value, month.ToString(CultureInfo.InvariantCulture)))
            {
                Add(IdentifyingKind.DateOfBirth, m);
            }
        }

        foreach (Match m in TenDigits().Matches(text))
        {
            if (IsNhsNumber(Digits(m.Value)))
            {
                Add(IdentifyingKind.NhsNumber, m);
            }
        }

        foreach (Match m in NationalInsurance().Matches(text))
        {
            Add(IdentifyingKind.NationalInsuranceNumber, m);
        }

        foreach (Match m in Postcode().Matches(text))
        {
            Add(IdentifyingKind.Postcode, m);
        }

        foreach (Match m in Phone().Matches(text))
        {
            if (IsUkPhone(m.Value) && !found.Any(f => f.Kind == IdentifyingKind.NhsNumber && f.Index == m.Index))
            {
                Add(IdentifyingKind.PhoneNumber, m);
            }
        }

        return found.OrderBy(f => f.Index).ToList();
    }

    /// <summary>Ten digits whose last is the modulus 11 check digit of the nine before it (weights 10 down to 2).</summary>
    public static bool IsNhsNumber(string digits)
    {
        if (digits.Length != 10 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += (digits[i] - '0') * (10 - i);
        }

        var check = 11 - (sum % 11);
        if (check == 11)
        {
            check = 0;
        }

        return check != 10 && check == digits[9] - '0';
    }

    private static bool IsDate(string day, string month) =>
        int.TryParse(day, CultureInfo.InvariantCulture, out var d) && int.TryParse(month, CultureInfo.InvariantCulture, out var mo)
        && d is >= 1 and <= 31 && mo is >= 1 and <= 12;

    private static bool IsUkPhone(string value)
    {
        if (value.Count(c => c == '(') != value.Count(c => c == ')'))
        {
            return false;
        }

        var digits = Digits(value);
        if (value.StartsWith("+44", StringComparison.Ordinal))
        {
            digits = digits[2..].TrimStart('0');
            return digits.Length is 9 or 10 && digits[0] is '1' or '2' or '3' or '7' or '8';
        }

        return digits.Length is 10 or 11 && digits[0] == '0' && digits[1] is '1' or '2' or '3' or '7' or '8';
    }

    private static string Digits(string value) => new(value.Where(char.IsAsciiDigit).ToArray());
}
