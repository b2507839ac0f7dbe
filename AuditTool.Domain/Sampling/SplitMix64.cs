using System.Runtime.CompilerServices;

namespace AuditTool.Domain.Sampling;

/// <summary>
/// Steele, Lea and Flood's SplitMix64 generator (as in Vigna's reference C code). Written out here because a recorded
/// seed must give the same sample on every machine for ever; System.Random's algorithm is not a contract.
/// </summary>
internal sealed class SplitMix64(long seed)
{
    private ulong _state = unchecked((ulong)seed);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Next()
    {
        unchecked
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>A uniform integer in [0, bound), without modulo bias: draws below 2^64 mod bound are rejected.</summary>
    public int NextBelow(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        var range = (ulong)bound;
        var threshold = unchecked(0UL - range) % range;
        while (true)
        {
            var draw = Next();
            if (draw >= threshold) return (int)(draw % range);
        }
    }

    /// <summary>
    /// A uniform integer in [0, bound), without bias, by Lemire's multiply-and-shift ("Fast Random Integer Generation in
    /// an Interval", 2019): a division only when a draw falls in the rare rejection zone. The reliability bootstrap draws
    /// millions of indexes, so this stays small enough to be inlined; <see cref="NextBelow"/> (two divisions a draw)
    /// stays as it is, since recorded samples use it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int NextIndex(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        var range = (ulong)bound;
        var high = Math.BigMul(Next(), range, out var low);
        return low < range ? Rejecting(range, high, low) : (int)high;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int Rejecting(ulong range, ulong high, ulong low)
    {
        var threshold = unchecked(0UL - range) % range;
        while (low < threshold)
        {
            high = Math.BigMul(Next(), range, out low);
        }

        return (int)high;
    }
}
