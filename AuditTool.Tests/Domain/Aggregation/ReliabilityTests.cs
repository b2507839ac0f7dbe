using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AuditTool.Domain.Aggregation;

namespace AuditTool.Tests.Domain.Aggregation;

/// <summary>
/// Krippendorff's alpha and weighted kappa against published worked examples and against independent implementations:
/// a brute-force alpha written from the pairwise form of the definition (no coincidence matrix), and scikit-learn's
/// <c>cohen_kappa_score(weights="quadratic")</c> (Debian's python3-sklearn, which test.sh installs) run in a python3 process.
/// </summary>
public class ReliabilityTests
{
    /// <summary>
    /// The reliability data of Krippendorff, K. (2011), "Computing Krippendorff's Alpha-Reliability", Annenberg School for
    /// Communication, University of Pennsylvania, Departmental Papers (ASC) 43, section C ("Reliability data with
    /// missing values"): 4 observers (rows) x 12 units (columns), values 1 to 5, null where an observer gave no value.
    /// The paper's results: nominal alpha 0.743, ordinal 0.815, interval 0.849.
    /// </summary>
    private static readonly double?[][] KrippendorffObservers =
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
        [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
    ];

    private static IReadOnlyList<IReadOnlyList<double?>> Units(double?[][] observers) =>
        Enumerable.Range(0, observers[0].Length).Select(u => (IReadOnlyList<double?>)observers.Select(o => o[u]).ToList()).ToList();

    [Theory]
    [InlineData(AlphaMetric.Ordinal, 0.815)]
    [InlineData(AlphaMetric.Nominal, 0.743)]
    [InlineData(AlphaMetric.Interval, 0.849)]
    public void Alpha_OnKrippendorff2011WorkedExampleWithMissingValues_IsThePapersFigure(AlphaMetric metric, double published)
    {
        var alpha = Reliability.Alpha(Units(KrippendorffObservers), metric);

        Assert.NotNull(alpha);
        Assert.Equal(published, Math.Round(alpha.Value, 3));
        // The same figure, to the last digit, from the independent pairwise implementation below.
        Assert.Equal(PairwiseAlpha(Units(KrippendorffObservers), metric)!.Value, alpha.Value, 12);
    }

    [Fact]
    public void Alpha_EqualsTheBruteForcePairwiseImplementation_OnRandomTablesWithMissingValues()
    {
        var random = new Random(20261203);
        for (var table = 0; table < 300; table++)
        {
            var raters = random.Next(2, 7);
            var units = random.Next(1, 40);
            var categories = random.Next(1, 6);
            var data = Enumerable.Range(0, units)
                .Select(_ => (IReadOnlyList<double?>)Enumerable.Range(0, raters)
                    .Select(_ => random.Next(3) == 0 ? null : (double?)(1 + random.Next(categories)))
                    .ToList())
                .ToList();
            foreach (var metric in new[] { AlphaMetric.Ordinal, AlphaMetric.Nominal, AlphaMetric.Interval })
            {
                var expected = PairwiseAlpha(data, metric);
                var actual = Reliability.Alpha(data, metric);
                Assert.True(expected.HasValue == actual.HasValue, $"table {table} {metric}: pairwise {expected}, product {actual}");
                if (expected is { } e)
                {
                    Assert.Equal(e, actual!.Value, 10);
                }
            }
        }
    }

    [Fact]
    public void QuadraticKappa_OnMaplesDocumentedExamples_IsTheirFigure()
    {
        // Maple's EssayTools[QuadraticWeightedKappa] help page, examples 1 and 2 (scores 1 to 10, from the data's minimum
        // to its maximum): 0.758620689655172 and 0.438095238095238.
        int[] first = [9, 7, 8, 7, 6, 8, 3, 5, 10];
        int[] second = [8, 8, 6, 6, 7, 6, 1, 4, 8];
        int[] third = [3, 5, 6, 6, 7, 6, 1, 4, 8];

        var one = Reliability.QuadraticKappa(first.Zip(second, (a, b) => (a - 1, b - 1)).ToList(), 10);
        var two = Reliability.QuadraticKappa(first.Zip(third, (a, b) => (a - 1, b - 1)).ToList(), 10);

        Assert.Equal(0.758620689655172, one!.Value, 12);
        Assert.Equal(0.438095238095238, two!.Value, 12);
    }

    [Fact]
    public void QuadraticKappa_EqualsScikitLearn_OnRandomPairsAndEdgeCases()
    {
        var random = new Random(20261204);
        var cases = new List<(int K, List<(int, int)> Pairs)>
        {
            // The agency always says "good", moderation varies: defined (0 here), not "no variation".
            (4, [(1, 0), (1, 1), (1, 2), (1, 3), (1, 1)]),
            // Perfect agreement over several grades.
            (4, [(0, 0), (1, 1), (2, 2), (3, 3), (2, 2)]),
            // Systematic one grade more generous.
            (4, [(0, 1), (1, 2), (2, 3), (0, 1), (1, 2), (3, 3)]),
        };
        for (var i = 0; i < 60; i++)
        {
            var k = random.Next(2, 6);
            cases.Add((k, Enumerable.Range(0, random.Next(2, 40)).Select(_ => (random.Next(k), random.Next(k))).ToList()));
        }

        var expected = ScikitLearnKappas(cases);

        for (var i = 0; i < cases.Count; i++)
        {
            var actual = Reliability.QuadraticKappa(cases[i].Pairs, cases[i].K);
            if (expected[i] is { } e)
            {
                Assert.True(actual.HasValue, $"case {i}: scikit-learn {e}, product not defined");
                Assert.Equal(e, actual.Value, 10);
            }
            else
            {
                Assert.Null(actual);
            }
        }
    }

    [Fact]
    public void Alpha_OneCategoryUsed_IsNoVariation()
    {
        int[][] units = [[3, 0, 0], [2, 0, 0], [4, 0, 0], [2, 0, 0], [3, 0, 0]];

        var figure = Reliability.AlphaFigure(units, [3, 2, 1], threshold: 0.67);

        Assert.Equal(new ReliabilityFigure(5, ReliabilityState.NoVariation, null, null, null, false), figure);
    }

    [Fact]
    public void AlphaAndKappa_EveryoneAgrees_AreOne_WithAnIntervalOfOne()
    {
        int[][] units = [[2, 0, 0], [0, 3, 0], [0, 0, 2], [2, 0, 0], [0, 2, 0]];
        (int, int)[] pairs = [(0, 0), (1, 1), (2, 2), (0, 0), (1, 1)];

        var alpha = Reliability.AlphaFigure(units, [3, 2, 1], threshold: 0.67);
        var kappa = Reliability.KappaFigure(pairs, 3, threshold: 0.67);

        Assert.Equal(new ReliabilityFigure(5, ReliabilityState.Figure, 1, 1, 1, false), alpha);
        Assert.Equal(new ReliabilityFigure(5, ReliabilityState.Figure, 1, 1, 1, false), kappa);
    }

    [Fact]
    public void Alpha_ARaterWithNoGrades_ChangesNothing()
    {
        var withSilentObserver = KrippendorffObservers.Append(new double?[12]).ToArray();

        Assert.Equal(Reliability.Alpha(Units(KrippendorffObservers), AlphaMetric.Ordinal),
            Reliability.Alpha(Units(withSilentObserver), AlphaMetric.Ordinal));
    }

    [Fact]
    public void Figures_OverFewerThanFiveUnits_AreTooFew_CountingOnlyUnitsWithTwoValues()
    {
        // Six cases, but two have a single grade: four units, too few. Four pairs: too few.
        int[][] units = [[1, 1, 0], [0, 2, 0], [0, 1, 1], [2, 0, 0], [1, 0, 0], [0, 0, 1]];

        var alpha = Reliability.AlphaFigure(units, [3, 2, 1], threshold: 0.67);
        var kappa = Reliability.KappaFigure([(0, 0), (1, 0), (2, 2), (1, 1)], 3, threshold: 0.67);
        var none = Reliability.KappaFigure([], 3, threshold: 0.67);

        Assert.Equal(new ReliabilityFigure(4, ReliabilityState.TooFew, null, null, null, false), alpha);
        Assert.Equal(new ReliabilityFigure(4, ReliabilityState.TooFew, null, null, null, false), kappa);
        Assert.Equal(new ReliabilityFigure(0, ReliabilityState.TooFew, null, null, null, false), none);
    }

    [Fact]
    public void Figure_BelowTheThreshold_IsFlagged_AtOrAboveIsNot()
    {
        var histograms = KrippendorffUnits();

        var strict = Reliability.AlphaFigure(histograms, [1, 2, 3, 4, 5], threshold: 0.82);
        var lenient = Reliability.AlphaFigure(histograms, [1, 2, 3, 4, 5], threshold: 0.80);

        Assert.Equal(0.815, Math.Round(strict.Value!.Value, 3));
        Assert.True(strict.Flagged);
        Assert.False(lenient.Flagged);
    }

    [Fact]
    public void BootstrapInterval_IsTheSameOnEveryRun_AndDiffersForAnotherSeed()
    {
        var histograms = KrippendorffUnits();

        var first = Reliability.AlphaFigure(histograms, [1, 2, 3, 4, 5], 0.67);
        var second = Reliability.AlphaFigure(histograms, [1, 2, 3, 4, 5], 0.67);
        var otherSeed = Reliability.AlphaFigure(histograms, [1, 2, 3, 4, 5], 0.67, seed: Reliability.Seed + 1);

        Assert.Equal(first, second);
        Assert.Equal(ReliabilityState.Figure, first.State);
        Assert.True(first.Low < first.Value && first.Value < first.High, $"{first.Low} .. {first.Value} .. {first.High}");
        Assert.Equal(first.Value, otherSeed.Value);
        Assert.NotEqual((first.Low, first.High), (otherSeed.Low, otherSeed.High));
    }

    [Fact]
    public void KappaBootstrapInterval_IsTheSameOnEveryRun_AndDiffersForAnotherSeed()
    {
        var random = new Random(7);
        var pairs = Enumerable.Range(0, 40).Select(_ => random.Next(4)).Select(g => (g, Math.Clamp(g + random.Next(-1, 2), 0, 3))).ToList();

        var first = Reliability.KappaFigure(pairs, 4, 0.67);
        var second = Reliability.KappaFigure(pairs, 4, 0.67);
        var otherSeed = Reliability.KappaFigure(pairs, 4, 0.67, seed: 99);

        Assert.Equal(first, second);
        Assert.True(first.Low < first.Value && first.Value < first.High, $"{first.Low} .. {first.Value} .. {first.High}");
        Assert.NotEqual((first.Low, first.High), (otherSeed.Low, otherSeed.High));
    }

    [Fact]
    public void BootstrapInterval_IsThePercentilesOfAlphaOverUnitsResampledWithReplacement()
    {
        // An independent bootstrap: the same draws (SplitMix64 from the seed, Lemire's unbiased bounded integers, units in
        // their order), each resample's alpha from the pairwise implementation, percentiles interpolated linearly.
        var histograms = KrippendorffUnits();
        var units = Units(KrippendorffObservers).Where(u => u.Count(v => v is not null) >= 2).ToList();
        var generator = new TestSplitMix64(Reliability.Seed);
        var estimates = new List<double>();
        for (var b = 0; b < Reliability.Resamples; b++)
        {
            var sample = Enumerable.Range(0, units.Count).Select(_ => units[generator.NextIndex(units.Count)]).ToList();
            if (PairwiseAlpha(sample, AlphaMetric.Ordinal) is { } a)
            {
                estimates.Add(a);
            }
        }

        estimates.Sort();
        static double Percentile(List<double> s, double p)
        {
            var h = (s.Count - 1) * p;
            var i = (int)Math.Floor(h);
            return s[i] + (h - i) * (s[Math.Min(i + 1, s.Count - 1)] - s[i]);
        }

        var figure = Reliability.AlphaFigure(histograms, [1, 2, 3, 4, 5], 0.67);

        Assert.Equal(Percentile(estimates, 0.025), figure.Low!.Value, 10);
        Assert.Equal(Percentile(estimates, 0.975), figure.High!.Value, 10);
    }

    [Fact]
    public void Confusion_CountsAgencyGradesAgainstModeratedGrades()
    {
        var table = Reliability.Confusion([(0, 0), (0, 1), (0, 1), (2, 1)], 3);

        Assert.Equal([[1, 2, 0], [0, 0, 0], [0, 1, 0]], table);
    }

    /// <summary>The worked example as per-unit counts of values 1 to 5.</summary>
    private static List<int[]> KrippendorffUnits() =>
        Units(KrippendorffObservers)
            .Select(u => Enumerable.Range(1, 5).Select(v => u.Count(x => x == v)).ToArray())
            .ToList();

    /// <summary>
    /// Alpha written differently: from the pairable values themselves, without a coincidence matrix. Observed
    /// disagreement: within each unit, every ordered pair of values from different raters, weighted 1 / (m_u - 1);
    /// expected: every ordered pair of pairable values across the whole data. alpha = 1 - D_o / D_e with
    /// D_o = sum_within / n and D_e = sum_all / (n (n - 1)). Ordinal distances from the frequencies of the ranked values.
    /// </summary>
    private static double? PairwiseAlpha(IReadOnlyList<IReadOnlyList<double?>> units, AlphaMetric metric)
    {
        var pairable = units.Select(u => u.OfType<double>().ToList()).Where(u => u.Count >= 2).ToList();
        var all = pairable.SelectMany(u => u).ToList();
        var n = all.Count;
        if (n < 2)
        {
            return null;
        }

        var frequency = all.GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
        double Delta(double a, double b)
        {
            if (metric == AlphaMetric.Nominal)
            {
                return a == b ? 0 : 1;
            }

            if (metric == AlphaMetric.Interval)
            {
                return (a - b) * (a - b);
            }

            if (a == b)
            {
                return 0;
            }

            var (low, high) = a < b ? (a, b) : (b, a);
            var between = frequency.Where(f => f.Key >= low && f.Key <= high).Sum(f => (double)f.Value) - (frequency[a] + frequency[b]) / 2.0;
            return between * between;
        }

        var within = 0.0;
        foreach (var unit in pairable)
        {
            var sum = 0.0;
            for (var i = 0; i < unit.Count; i++)
            {
                for (var j = 0; j < unit.Count; j++)
                {
                    if (i != j)
                    {
                        sum += Delta(unit[i], unit[j]);
                    }
                }
            }

            within += sum / (unit.Count - 1);
        }

        var across = 0.0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                if (i != j)
                {
                    across += Delta(all[i], all[j]);
                }
            }
        }

        if (across == 0)
        {
            return null;
        }

        var observed = within / n;
        var expected = across / (n * (n - 1.0));
        return 1 - observed / expected;
    }

    /// <summary>scikit-learn's quadratic-weighted kappa of each case (labels: every category, used or not); null where it is
    /// not a number (scikit-learn divides 0 by 0 when no disagreement is expected).</summary>
    internal static IReadOnlyList<double?> ScikitLearnKappas(IReadOnlyList<(int K, List<(int, int)> Pairs)> cases)
    {
        const string script = """
            import json, math, sys, warnings
            warnings.simplefilter("ignore")
            from sklearn.metrics import cohen_kappa_score
            out = []
            for case in json.load(sys.stdin):
                a = [p[0] for p in case["pairs"]]
                b = [p[1] for p in case["pairs"]]
                k = cohen_kappa_score(a, b, labels=list(range(case["k"])), weights="quadratic")
                out.append(None if math.isnan(k) else k)
            print(json.dumps(out))
            """;
        var input = JsonSerializer.Serialize(cases.Select(c => new { k = c.K, pairs = c.Pairs.Select(p => new[] { p.Item1, p.Item2 }) }));
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"python3 with scikit-learn failed (test.sh installs python3-sklearn): {error}");
        return JsonSerializer.Deserialize<List<double?>>(output, new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals })!;
    }

    /// <summary>SplitMix64 and Lemire's bounded integers, written out again from their papers for the independent bootstrap.</summary>
    private sealed class TestSplitMix64(long seed)
    {
        private ulong _state = unchecked((ulong)seed);

        private ulong Next()
        {
            unchecked
            {
                _state += 0x9E3779B97F4A7C15UL;
                var z = _state;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                return z ^ (z >> 31);
            }
        }

        public int NextIndex(int bound)
        {
            var s = (ulong)bound;
            var m = (UInt128)Next() * s;
            var low = (ulong)m;
            if (low < s)
            {
                var t = unchecked(0UL - s) % s;
                while (low < t)
                {
                    m = (UInt128)Next() * s;
                    low = (ulong)m;
                }
            }

            return (int)(m >> 64);
        }
    }
}
