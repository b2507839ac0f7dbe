using System.Security.Cryptography;

namespace AuditTool.Domain.Sampling;

/// <summary>Draws a reproducible random sample of cases: the same cohort, criteria, size and seed give the same cases.</summary>
public static class Sampler
{
    /// <summary>The largest seed <see cref="NewSeed"/> gives: 2^53 - 1, so a recorded seed survives any JSON reader.</summary>
    public const long MaxNewSeed = (1L << 53) - 1;

    /// <summary>
    /// The cases meeting the criteria, in cohort order, then <paramref name="size"/> of them (all, if fewer match)
    /// chosen by a partial Fisher–Yates shuffle driven by SplitMix64 from the seed; returned in cohort order.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is less than 1.</exception>
    /// <exception cref="CohortException">The criteria do not fit the cohort (see <see cref="CriteriaRules.Validate"/>).</exception>
    public static IReadOnlyList<CohortRow> Draw(Cohort cohort, SampleCriteria criteria, int size, long seed)
    {
        ArgumentNullException.ThrowIfNull(cohort);
        ArgumentNullException.ThrowIfNull(criteria);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);

        var problems = CriteriaRules.Validate(criteria, cohort);
        if (problems.Count > 0) throw new CohortException(problems);

        var pool = cohort.Rows.Where(row => CriteriaRules.Matches(criteria, row)).ToArray();
        var take = Math.Min(size, pool.Length);
        var random = new SplitMix64(seed);
        for (var i = 0; i < take && take < pool.Length; i++)
        {
            var j = i + random.NextBelow(pool.Length - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        return pool.Take(take).OrderBy(row => row.Position).ToList();
    }

    /// <summary>A fresh random seed in 1..2^53-1, for the audit to record beside the sample.</summary>
    public static long NewSeed()
    {
        while (true)
        {
            var seed = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8)) & MaxNewSeed;
            if (seed > 0) return seed;
        }
    }
}
