namespace CrossCore.Cli.Torture;

/// <summary>
/// The torture's record of one sender thread (an outside invoker's thread, or a core's thread that runs task-context
/// invokers): its posting descriptors' uses, and its scheduler samples (<see cref="ThreadSamples"/>) to judge a late
/// return by. The library keeps a ring of R posting descriptors per thread and target core (C1,
/// <see cref="CoreSet.Post{TState}(int, Action{TState}, TState)"/>; R = 1 is the kernel's single descriptor), and a
/// thread's posts, many-posts and each-posts to a core all go through it, in order. Several invokers share it when they
/// run as task-context work on one core's thread, so a no-wait call may wait for another invoker's call: the release it
/// waits for is the thread's use of the ring R uses earlier (the slot it takes), which is what this records (per
/// thread, not per invoker).
/// </summary>
/// <remarks>
/// The sender counts its uses (<see cref="Claimed"/>); the target core's function counts the releases it follows and
/// stamps their time (<see cref="RecordRelease"/>). One thread's uses to one core are released in order, so a call made
/// after <c>k</c> uses can only wait for use <c>k - R + 1</c>, the previous use of the slot it takes.
/// </remarks>
internal sealed class SenderThread
{
    [ThreadStatic]
    private static SenderThread? t_current;

    private readonly long[] _uses;       // uses of the descriptor to each core; written only by the owning thread
    private readonly long[] _releases;   // releases of each core's descriptor; written only by that core's thread
    private readonly long[] _releasedAt; // per core, a window of R + 1 slots: use n's release time at [core * W + n % W]
    private readonly int _ring;
    private readonly int _window;

    public SenderThread(TortureEngine? engine, int cores, int ownCore, ThreadSamples? samples = null, int ringSize = 1)
    {
        _ring = ringSize;
        _window = ringSize + 1; // the waited-for use, plus the R uses after it that may be released before the check
        Engine = engine;
        OwnCore = ownCore;
        Samples = samples;
        _uses = new long[cores];
        _releases = new long[cores];
        _releasedAt = new long[cores * _window];
    }

    /// <summary>The run this record belongs to.</summary>
    public TortureEngine? Engine { get; }

    /// <summary>The thread's core, or -1 (a post to it runs inline and uses no descriptor, C6).</summary>
    public int OwnCore { get; }

    /// <summary>The thread's scheduler samples, or null where the OS gives none.</summary>
    public ThreadSamples? Samples { get; }

    /// <summary>The calling thread's record for <paramref name="engine"/>'s run (registers it with the run's sampler).</summary>
    public static SenderThread ForCurrentThread(TortureEngine engine)
    {
        var track = t_current;
        if (track is null || track.Engine != engine)
        {
            t_current = track = new SenderThread(engine, engine.CoreCount, engine.Set.CurrentCore, engine.Sampler?.Register(), engine.Set.NoWaitRingSize);
        }

        return track;
    }

    /// <summary>Just before a no-wait call to <paramref name="core"/>: which use of the descriptor it may wait for.</summary>
    public NoWaitAttempt Begin(int core)
    {
        var previous = Math.Max(0, _uses[core] - _ring + 1); // the slot's previous use (0: the slot is fresh)
        var mayWait = previous > Volatile.Read(ref _releases[core]); // acquire; pairs with RecordRelease's release write
        return new NoWaitAttempt(this, core, previous, mayWait, System.Diagnostics.Stopwatch.GetTimestamp());
    }

    /// <summary>The owning thread's call queued through its descriptor to <paramref name="core"/> (owning thread only).</summary>
    public void Claimed(int core)
    {
        if (core != OwnCore)
        {
            _uses[core]++;
        }
    }

    /// <summary>
    /// On <paramref name="core"/>'s thread, in the function of one of this thread's no-wait calls: the descriptor was
    /// released just before the function ran (O4), at or before <paramref name="now"/>.
    /// </summary>
    public void RecordRelease(int core, long now)
    {
        var n = _releases[core] + 1; // single writer: this core's thread runs every use of the descriptor to it
        _releasedAt[(core * _window) + (int)(n % _window)] = now; // plain: published by the release write below
        Volatile.Write(ref _releases[core], n); // release; pairs with the acquire reads in Begin and TryGetReleasedAt
    }

    /// <summary>
    /// When use <paramref name="use"/> of the descriptor to <paramref name="core"/> was released, if its function has
    /// recorded it. Its slot stays until use <c>use + R + 1</c> is released, which needs R + 1 more calls of the owner.
    /// </summary>
    public bool TryGetReleasedAt(int core, long use, out long releasedAt)
    {
        var released = Volatile.Read(ref _releases[core]); // acquire; pairs with RecordRelease
        if (use < 1 || released < use || released > use + _ring)
        {
            releasedAt = 0; // not recorded yet (or the counts disagree: then nothing can be judged)
            return false;
        }

        releasedAt = _releasedAt[(core * _window) + (int)(use % _window)];
        return true;
    }
}
