using AuditTool.Domain.Aggregation;
using static AuditTool.Tests.Domain.Aggregation.Questions;

namespace AuditTool.Tests.Domain.Aggregation;

public class ClassificationTests
{
    private static Classification ClassifyAnswers(params string[] answers) =>
        Aggregation.Run(Template(Scale("seen")), new ReturnsBuilder().EachAnswering("seen", answers))
            .Question("seen").Classification;

    [Fact]
    public void FourAnswers_AreTooFew_EvenAllPositive()
    {
        Assert.Equal(Classification.TooFewAnswers, ClassifyAnswers("yes", "yes", "yes", "yes"));
    }

    [Fact]
    public void FiveAnswers_ReachTheMinimumCount()
    {
        Assert.Equal(Classification.Strength, ClassifyAnswers("yes", "yes", "yes", "yes", "yes"));
    }

    [Fact]
    public void NotApplicable_DoesNotHelpReachTheMinimumCount()
    {
        Assert.Equal(Classification.TooFewAnswers, ClassifyAnswers("yes", "yes", "yes", "yes", "na"));
    }

    [Theory]
    [InlineData(8, Classification.Strength)]        // 8/10 = 0.80, exactly the strength threshold
    [InlineData(7, Classification.Mixed)]           // 0.70
    [InlineData(6, Classification.DevelopmentArea)] // 6/10 = 0.60, exactly the development threshold
    public void RateOnTheThreshold_BelongsToTheThreshold(int positives, Classification expected)
    {
        var answers = Enumerable.Repeat("yes", positives).Concat(Enumerable.Repeat("no", 10 - positives)).ToArray();

        Assert.Equal(expected, ClassifyAnswers(answers));
    }

    [Theory]
    [InlineData(0.79, 5, Classification.Mixed)]
    [InlineData(0.61, 5, Classification.Mixed)]
    [InlineData(0.0, 4, Classification.TooFewAnswers)]
    [InlineData(1.0, 100, Classification.Strength)]
    [InlineData(0.2, 100, Classification.DevelopmentArea)]
    public void Classify_UsesTheDefaultThresholds(double rate, int counted, Classification expected)
    {
        Assert.Equal(expected, AuditAggregator.Classify(rate, counted, rated: true, descriptive: false, new AuditThresholds()));
    }

    [Fact]
    public void Classify_UsesTheAuditsOwnThresholds()
    {
        var strict = new AuditThresholds(Strength: 0.9, Development: 0.7, MinimumCount: 3);

        Assert.Equal(Classification.Mixed, AuditAggregator.Classify(0.8, 3, true, false, strict));
        Assert.Equal(Classification.DevelopmentArea, AuditAggregator.Classify(0.7, 3, true, false, strict));
        Assert.Equal(Classification.TooFewAnswers, AuditAggregator.Classify(1.0, 2, true, false, strict));
    }

    [Fact]
    public void Classify_NoRateAndDescriptive_TakePrecedence()
    {
        var t = new AuditThresholds();

        Assert.Equal(Classification.NoRate, AuditAggregator.Classify(null, 50, rated: false, descriptive: false, t));
        Assert.Equal(Classification.Descriptive, AuditAggregator.Classify(0.0, 50, rated: true, descriptive: true, t));
        Assert.Equal(Classification.Descriptive, AuditAggregator.Classify(null, 0, rated: true, descriptive: true, t));
    }
}
