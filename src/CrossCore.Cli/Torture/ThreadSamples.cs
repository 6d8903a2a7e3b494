using System.Diagnostics;

namespace CrossCore.Cli.Torture;

/// <summary>
/// One thread's scheduler accounting, sampled every few milliseconds by the run's <see cref="SchedSampler"/> (a ring of
/// the last <see cref="Capacity"/> samples), and read by the thread itself when it judges a late return: what it did
/// between a release and its return, without a system call on any call that returned in time.
/// </summary>
internal sealed class ThreadSamples : IDisposable
{
    /// <summary>Samples kept: with the sampler's period, several seconds of history.</summary>
    public const int Capacity = 256;

    private const int Fields = 4; // time (Stopwatch ticks), run ns, run-queue ns, GC pause ns

    private readonly ThreadSchedStat _forSampler; // two handles: each reader has its own buffer
    private readonly ThreadSchedStat _forOwner;
    private readonly long[] _ring = new long[Capacity * Fields];
    private long _count; // samples written; the sampler's release write publishes the slot it just filled

    public ThreadSamples(ThreadSchedStat forSampler, ThreadSchedStat forOwner)
    {
        _forSampler = forSampler;
        _forOwner = forOwner;
    }

    /// <summary>Closes both handles (once neither the sampler nor the owner reads them).</summary>
    public void Dispose()
    {
        _forSampler.Dispose();
        _forOwner.Dispose();
    }

    /// <summary>On the sampler's thread: records a sample of the owning thread now.</summary>
    public void Sample()
    {
        if (!_forSampler.TryRead(out var s))
        {
            return;
        }

        var n = _count; // single writer: the sampler's thread
        var at = (int)(n % Capacity) * Fields;
        _ring[at] = Stopwatch.GetTimestamp(); // plain: published by the release write of the count below
        _ring[at + 1] = s.RunNs;
        _ring[at + 2] = s.RunQueueNs;
        _ring[at + 3] = s.GcPauseNs;
        Volatile.Write(ref _count, n + 1); // release; pairs with the acquire reads in TryFindBaseline
    }

    /// <summary>On the owning thread: its accounting now, and when (Stopwatch ticks).</summary>
    public bool TryReadNow(out SchedSample sample, out long at)
    {
        var ok = _forOwner.TryRead(out sample);
        at = Stopwatch.GetTimestamp();
        return ok;
    }

    /// <summary>
    /// On the owning thread: the first sample taken at or after <paramref name="from"/> (and before
    /// <paramref name="until"/>), else the last one before it; false if there is none.
    /// </summary>
    public bool TryFindBaseline(long from, long until, out SchedSample sample, out long at)
    {
        sample = default;
        at = 0;
        var count = Volatile.Read(ref _count); // acquire; pairs with Sample's release write
        var found = false;
        for (var n = count - 1; n >= Math.Max(0, count - Capacity + 1); n--) // one slot spare: it may be being refilled
        {
            var i = (int)(n % Capacity) * Fields;
            var t = _ring[i];
            var candidate = new SchedSample(_ring[i + 1], _ring[i + 2], _ring[i + 3]);
            if (Volatile.Read(ref _count) - n >= Capacity) // acquire; the slot was overwritten while we read it
            {
                break;
            }

            if (t >= until)
            {
                continue;
            }

            sample = candidate;
            at = t;
            found = true;
            if (t < from)
            {
                break; // the last one before the release: only if none came after it
            }
        }

        return found;
    }
}
