using AuditTool.Domain.Sampling;

namespace AuditTool.Domain.Aggregation;

/// <summary>How far apart two values are for Krippendorff's alpha (Krippendorff 2011, "difference functions").</summary>
public enum AlphaMetric
{
    Nominal,
    Ordinal,
    Interval,
}

public enum ReliabilityState
{
    /// <summary>The figure is defined: <see cref="ReliabilityFigure.Value"/> holds it.</summary>
    Figure,

    /// <summary>Fewer than <see cref="Reliability.MinimumUnits"/> units: no figure.</summary>
    TooFew,

    /// <summary>Every value the same: chance disagreement is 0 and the figure is not defined.</summary>
    NoVariation,
}

/// <summary>One reliability figure (PRODUCT.md, "Figures", "Reliability of grades").</summary>
/// <param name="Units">Cases with two or more counted answers (alpha), or agency-moderation pairs (kappa).</param>
/// <param name="Value">Null unless <paramref name="State"/> is <see cref="ReliabilityState.Figure"/>.</param>
/// <param name="Low">The 2.5th percentile of the figure over the bootstrap resamples (null without a figure).</param>
/// <param name="High">The 97.5th percentile.</param>
/// <param name="Flagged">The value is below the audit's reliability threshold.</param>
public sealed record ReliabilityFigure(int Units, ReliabilityState State, double? Value, double? Low, double? High, bool Flagged);

/// <summary>
/// Chance-corrected agreement as pure functions: Krippendorff's alpha over a units x raters table with missing values,
/// Cohen's kappa with quadratic weights over paired categories, and a percentile bootstrap of either with a seeded
/// generator, so the same data give the same interval on every machine and every run.
/// </summary>
public static class Reliability
{
    public const int MinimumUnits = 5;

    public const int Resamples = 1_000;

    /// <summary>The fixed seed of every interval the tool shows (any fixed number would do; this one is the date of
    /// Krippendorff's paper, 2011-01-25).</summary>
    public const long Seed = 20110125;

    /// <summary>
    /// Krippendorff's alpha of a units x raters table (<c>units[u][r]</c>, null where rater r gave unit u no value), as
    /// in Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability": units with fewer than two values are left
    /// out; alpha = 1 - (n - 1) * sum(o_ck * d_ck) / sum(n_c * n_k * d_ck) over the coincidence matrix. Null when not
    /// defined (no pairable values, or every value the same).
    /// </summary>
    public static double? Alpha(IReadOnlyList<IReadOnlyList<double?>> units, AlphaMetric metric)
    {
        ArgumentNullException.ThrowIfNull(units);
        var values = units.SelectMany(u => u).OfType<double>().Distinct().Order().ToArray();
        var histograms = units.Select(u =>
        {
            var counts = new int[values.Length];
            foreach (var v in u)
            {
                if (v is { } x)
                {
                    counts[Array.BinarySearch(values, x)]++;
                }
            }

            return counts;
        }).ToList();
        return Alpha(histograms, values, metric);
    }

    /// <summary>Alpha from each unit's count of values per category; <paramref name="values"/> are the categories'
    /// values in ascending (or descending) order.</summary>
    public static double? Alpha(IReadOnlyList<int[]> units, IReadOnlyList<double> values, AlphaMetric metric)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(values);
        var k = values.Count;
        var coincidences = new double[k * k];
        foreach (var unit in units.Where(u => u.Sum() >= 2))
        {
            AddCoincidences(coincidences, unit, 1);
        }

        return AlphaOf(coincidences, values.ToArray(), metric, new double[k]);
    }

    /// <summary>
    /// Cohen's weighted kappa with quadratic weights, (i - j)^2 / (k - 1)^2, over categories 0 .. k - 1 (every category
    /// of the scale, used or not): 1 - sum(w * observed) / sum(w * expected by chance). Null when not defined (no pairs,
    /// or no disagreement expected by chance: one category only).
    /// </summary>
    public static double? QuadraticKappa(IReadOnlyList<(int First, int Second)> pairs, int categories)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var counts = new double[categories * categories];
        foreach (var (first, second) in pairs)
        {
            counts[first * categories + second]++;
        }

        return KappaOf(counts, categories);
    }

    /// <summary>
    /// Ordinal alpha of the units (each a count of values per category, categories in score order) with its units and
    /// interval. Units with fewer than two values are left out before anything else.
    /// </summary>
    public static ReliabilityFigure AlphaFigure(IReadOnlyList<int[]> units, IReadOnlyList<double> values, double threshold,
        long seed = Seed, int resamples = Resamples)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(values);
        var pairable = units.Where(u => u.Sum() >= 2).ToList();
        var k = values.Count;
        var cells = k * k;

        // Units with the same counts add the same coincidences: each resample adds each kind's once, times how often
        // it was drawn (a few dozen kinds, however many cases), not every drawn unit's.
        var kinds = new Dictionary<int[], int>(new CountsComparer());
        var typeOfUnit = new int[pairable.Count];
        var contributions = new List<double>();
        for (var u = 0; u < pairable.Count; u++)
        {
            if (!kinds.TryGetValue(pairable[u], out var kind))
            {
                kind = kinds.Count;
                kinds.Add(pairable[u], kind);
                var c = new double[cells];
                AddCoincidences(c, pairable[u], 1);
                contributions.AddRange(c);
            }

            typeOfUnit[u] = kind;
        }

        var flat = contributions.ToArray();
        var scores = values.ToArray();
        var sum = new double[cells];
        var marginals = new double[k];
        double? Statistic(int[] drawn)
        {
            Array.Clear(sum);
            for (var t = 0; t < drawn.Length; t++)
            {
                var w = drawn[t];
                if (w == 0)
                {
                    continue;
                }

                var offset = t * cells;
                for (var i = 0; i < cells; i++)
                {
                    sum[i] += w * flat[offset + i];
                }
            }

            return AlphaOf(sum, scores, AlphaMetric.Ordinal, marginals);
        }

        return Figure(typeOfUnit, kinds.Count, Statistic, threshold, seed, resamples);
    }

    /// <summary>Quadratic-weighted kappa of the pairs (agency category, moderated category) with its units and interval.</summary>
    public static ReliabilityFigure KappaFigure(IReadOnlyList<(int First, int Second)> pairs, int categories, double threshold,
        long seed = Seed, int resamples = Resamples)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var typeOfUnit = pairs.Select(p => p.First * categories + p.Second).ToArray();
        var counts = new double[categories * categories];
        double? Statistic(int[] drawn)
        {
            for (var i = 0; i < counts.Length; i++)
            {
                counts[i] = drawn[i];
            }

            return KappaOf(counts, categories);
        }

        return Figure(typeOfUnit, categories * categories, Statistic, threshold, seed, resamples);
    }

    /// <summary>Counts of (first, second) category pairs: rows the first (the agency's grade), columns the second (the moderated grade).</summary>
    public static int[][] Confusion(IEnumerable<(int First, int Second)> pairs, int categories)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var table = Enumerable.Range(0, categories).Select(_ => new int[categories]).ToArray();
        foreach (var (first, second) in pairs)
        {
            table[first][second]++;
        }

        return table;
    }

    /// <summary>
    /// The percentile interval: <paramref name="resamples"/> times, as many units as there are are drawn with replacement
    /// (SplitMix64 from <paramref name="seed"/>), and the statistic is taken of how often each kind of unit was drawn.
    /// Resamples where the statistic is not defined (they happened to draw no variation) are left out. The low and high
    /// ends are the 2.5th and 97.5th percentiles, interpolated linearly between order statistics.
    /// </summary>
    private static ReliabilityFigure Figure(int[] typeOfUnit, int types, Func<int[], double?> statistic, double threshold,
        long seed, int resamples)
    {
        var units = typeOfUnit.Length;
        if (units < MinimumUnits)
        {
            return new ReliabilityFigure(units, ReliabilityState.TooFew, null, null, null, false);
        }

        var drawn = new int[types];
        foreach (var t in typeOfUnit)
        {
            drawn[t]++;
        }

        if (statistic(drawn) is not { } value)
        {
            return new ReliabilityFigure(units, ReliabilityState.NoVariation, null, null, null, false);
        }

        var random = new SplitMix64(seed);
        var estimates = new List<double>(resamples);
        for (var b = 0; b < resamples; b++)
        {
            Array.Clear(drawn);
            for (var i = 0; i < units; i++)
            {
                drawn[typeOfUnit[random.NextIndex(units)]]++;
            }

            if (statistic(drawn) is { } estimate)
            {
                estimates.Add(estimate);
            }
        }

        estimates.Sort();
        double? low = estimates.Count == 0 ? null : Percentile(estimates, 0.025);
        double? high = estimates.Count == 0 ? null : Percentile(estimates, 0.975);
        return new ReliabilityFigure(units, ReliabilityState.Figure, value, low, high, value < threshold);
    }

    private static double Percentile(List<double> sorted, double p)
    {
        var h = (sorted.Count - 1) * p;
        var below = (int)Math.Floor(h);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (h - below) * (sorted[above] - sorted[below]);
    }

    /// <summary>A unit's coincidences: every ordered pair of its values from different raters, each weighing 1 / (m - 1).</summary>
    private static void AddCoincidences(double[] coincidences, int[] unit, double weight)
    {
        var k = unit.Length;
        var m = unit.Sum();
        for (var c = 0; c < k; c++)
        {
            if (unit[c] == 0)
            {
                continue;
            }

            for (var d = 0; d < k; d++)
            {
                var pairs = unit[c] * (unit[d] - (c == d ? 1 : 0));
                if (pairs != 0)
                {
                    coincidences[c * k + d] += weight * pairs / (m - 1);
                }
            }
        }
    }

    /// <param name="buffer">k doubles to work in (the marginals), so that a resample allocates nothing.</param>
    private static double? AlphaOf(double[] coincidences, double[] values, AlphaMetric metric, double[] buffer)
    {
        var k = values.Length;
        var marginals = buffer.AsSpan(0, k);
        marginals.Clear();
        for (var c = 0; c < k; c++)
        {
            for (var d = 0; d < k; d++)
            {
                marginals[c] += coincidences[c * k + d];
            }
        }

        double n = 0;
        foreach (var m in marginals)
        {
            n += m;
        }

        if (n < 2)
        {
            return null;
        }

        double observed = 0, expected = 0;
        for (var c = 0; c < k; c++)
        {
            // Ordinal: the sum of the marginals from c to d, less half of the two ends, squared (Krippendorff 2011).
            var between = marginals[c];
            for (var d = c + 1; d < k; d++)
            {
                between += marginals[d];
                var delta = metric switch
                {
                    AlphaMetric.Nominal => 1,
                    AlphaMetric.Interval => (values[c] - values[d]) * (values[c] - values[d]),
                    _ => Square(between - (marginals[c] + marginals[d]) / 2),
                };

                // Both orders of the pair: the distance is symmetric.
                observed += (coincidences[c * k + d] + coincidences[d * k + c]) * delta;
                expected += 2 * marginals[c] * marginals[d] * delta;
            }
        }

        return expected <= 0 ? null : 1 - (n - 1) * observed / expected;
    }

    private static double Square(double x) => x * x;

    private static double? KappaOf(double[] counts, int k)
    {
        if (k < 2)
        {
            return null;
        }

        var rows = new double[k];
        var columns = new double[k];
        double total = 0;
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                rows[i] += counts[i * k + j];
                columns[j] += counts[i * k + j];
                total += counts[i * k + j];
            }
        }

        if (total == 0)
        {
            return null;
        }

        double observed = 0, expected = 0;
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                double weight = (i - j) * (i - j);
                observed += weight * counts[i * k + j];
                expected += weight * rows[i] * columns[j] / total;
            }
        }

        return expected <= 0 ? null : 1 - observed / expected;
    }

    private sealed class CountsComparer : IEqualityComparer<int[]>
    {
        public bool Equals(int[]? x, int[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(int[] obj)
        {
            var hash = new HashCode();
            foreach (var v in obj)
            {
                hash.Add(v);
            }

            return hash.ToHashCode();
        }
    }
}
