namespace AuditTool.Domain.Aggregation;

/// <summary>Running counts per question for one scope (the whole audit or one agency).</summary>
internal sealed class QuestionTally
{
    public QuestionTally(IReadOnlyList<QuestionRule> rules)
    {
        Counted = new int[rules.Count];
        Positive = new int[rules.Count];
        NotApplicable = new int[rules.Count];
        OptionCounts = rules.Select(r => new int[r.Options.Count]).ToArray();
    }

    public int Returns { get; set; }

    public int Submitted { get; set; }

    public int[] Counted { get; }

    public int[] Positive { get; }

    public int[] NotApplicable { get; }

    public int[][] OptionCounts { get; }

    public void Add(int question, Reading reading)
    {
        switch (reading.Kind)
        {
            case ReadingKind.NotApplicable:
                NotApplicable[question]++;
                break;
            case ReadingKind.Counted:
                Counted[question]++;
                if (reading.Positive)
                {
                    Positive[question]++;
                }

                foreach (var option in reading.Selected)
                {
                    OptionCounts[question][option]++;
                }

                break;
        }
    }
}

internal sealed class CaseTally(string caseRef)
{
    public string CaseRef { get; } = caseRef;

    public int Returns { get; set; }

    public int Submitted { get; set; }

    public int Counted { get; set; }

    public int Positive { get; set; }

    public CaseFigures ToFigures() => new(CaseRef, Returns, Submitted, Counted, Positive, AuditAggregator.Rate(Positive, Counted));
}

internal sealed class AgreementTally
{
    private int _pairs;
    private int _agreeing;
    private int _scoredPairs;
    private double _differenceSum;

    public void Add(bool agreeing, double? agencyScore, double? moderatedScore)
    {
        _pairs++;
        if (agreeing)
        {
            _agreeing++;
        }

        if (agencyScore is { } agency && moderatedScore is { } moderated)
        {
            _scoredPairs++;
            _differenceSum += agency - moderated;
        }
    }

    public AgreementFigures ToFigures() => new(
        _pairs,
        _agreeing,
        _pairs == 0 ? null : (double)_agreeing / _pairs,
        _scoredPairs,
        _scoredPairs == 0 ? null : _differenceSum / _scoredPairs);
}
