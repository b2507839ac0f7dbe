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

    /// <summary>Adds another tally of the same rules (a pass over other returns).</summary>
    public void Add(QuestionTally other)
    {
        Returns += other.Returns;
        Submitted += other.Submitted;
        for (var i = 0; i < Counted.Length; i++)
        {
            Counted[i] += other.Counted[i];
            Positive[i] += other.Positive[i];
            NotApplicable[i] += other.NotApplicable[i];
            for (var o = 0; o < OptionCounts[i].Length; o++)
            {
                OptionCounts[i][o] += other.OptionCounts[i][o];
            }
        }
    }

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

    public void Add(CaseTally other)
    {
        Returns += other.Returns;
        Submitted += other.Submitted;
        Counted += other.Counted;
        Positive += other.Positive;
    }

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

    public void Add(AgreementTally other)
    {
        _pairs += other._pairs;
        _agreeing += other._agreeing;
        _scoredPairs += other._scoredPairs;
        _differenceSum += other._differenceSum;
    }

    public AgreementFigures ToFigures() => new(
        _pairs,
        _agreeing,
        _pairs == 0 ? null : (double)_agreeing / _pairs,
        _scoredPairs,
        _scoredPairs == 0 ? null : _differenceSum / _scoredPairs);
}
