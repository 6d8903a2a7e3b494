using System.Numerics;

namespace CrossCore.Cli.Torture;

/// <summary>
/// A fixed-size log-linear histogram of nanoseconds (16 sub-buckets per power of two: about 6 % resolution, like an
/// HdrHistogram with one significant digit). Recording allocates nothing; one writer, racy readers.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBits = 4;
    private const int Sub = 1 << SubBits;
    private const int Majors = 44; // up to 2^47 ns, about 39 hours
    private readonly long[] _counts = new long[(Majors + 1) * Sub];
    private long _count;

    public long Count => Volatile.Read(ref _count);

    public void Record(long nanoseconds)
    {
        _counts[Index(Math.Max(0, nanoseconds))]++;
        _count++;
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += Volatile.Read(ref other._counts[i]);
        }

        _count += other.Count;
    }

    /// <summary>The value at percentile <paramref name="p"/> (0..100), as the middle of its bucket; 0 if empty.</summary>
    public long Percentile(double p)
    {
        var total = 0L;
        foreach (var c in _counts)
        {
            total += c;
        }

        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(p / 100.0 * total);
        rank = Math.Clamp(rank, 1, total);
        var seen = 0L;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return (LowerBound(i) + LowerBound(i + 1)) / 2;
            }
        }

        return LowerBound(_counts.Length - 1);
    }

    private static int Index(long value)
    {
        if (value < Sub)
        {
            return (int)value;
        }

        var msb = 63 - BitOperations.LeadingZeroCount((ulong)value);
        var shift = msb - SubBits;
        var index = ((shift + 1) * Sub) + (int)((value >> shift) & (Sub - 1));
        return Math.Min(index, ((Majors + 1) * Sub) - 1);
    }

    private static long LowerBound(int index)
    {
        if (index < Sub)
        {
            return index;
        }

        var shift = (index / Sub) - 1;
        var minor = index % Sub;
        return (long)(Sub + minor) << shift;
    }
}
