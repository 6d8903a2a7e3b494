namespace CrossCore.Cli.Torture;

/// <summary>
/// The torture's record of one sender thread (an outside invoker's thread, or a core's thread that runs task-context
/// invokers): its posting descriptors' uses, and its scheduler samples (<see cref="ThreadSamples"/>) to judge a late
/// return by. The library keeps one posting descriptor per thread and target core (C1,
/// <see cref="CoreSet.Post{TState}(int, Action{TState}, TState)"/>), and a thread's posts, many-posts and each-posts to
/// a core all go through it. Several invokers share it when they run as task-context work on one core's thread, so a
/// no-wait call may wait for another invoker's call: the release it waits for is the thread's previous use of the
/// descriptor, which is what this records (per thread, not per invoker).
/// </summary>
/// <remarks>
/// The sender counts its uses (<see cref="Claimed"/>); the target core's function counts the releases it follows and
/// stamps their time (<see cref="RecordRelease"/>). A call made after <c>k</c> uses can only wait for use <c>k</c>.
/// </remarks>
internal sealed class SenderThread
{
    [ThreadStatic]
    private static SenderThread? t_current;

    private readonly long[] _uses;       // uses of the descriptor to each core; written only by the owning thread
    private readonly long[] _releases;   // releases of each core's descriptor; written only by that core's thread
    private readonly long[] _releasedAt; // per core, two slots: use n's release time at [2 * core + (n & 1)]

    public SenderThread(TortureEngine? engine, int cores, int ownCore, ThreadSamples? samples = null)
    {
        Engine = engine;
        OwnCore = ownCore;
        Samples = samples;
        _uses = new long[cores];
        _releases = new long[cores];
        _releasedAt = new long[cores * 2];
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
            t_current = track = new SenderThread(engine, engine.CoreCount, engine.Set.CurrentCore, engine.Sampler?.Register());
        }

        return track;
    }

    /// <summary>Just before a no-wait call to <paramref name="core"/>: which use of the descriptor it may wait for.</summary>
    public NoWaitAttempt Begin(int core)
    {
        var previous = _uses[core];
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
        _releasedAt[(2 * core) + (int)(n & 1)] = now; // plain: published by the release write below
        Volatile.Write(ref _releases[core], n); // release; pairs with the acquire reads in Begin and TryGetReleasedAt
    }

    /// <summary>
    /// When use <paramref name="use"/> of the descriptor to <paramref name="core"/> was released, if its function has
    /// recorded it. Its slot stays until use <c>use + 2</c> is released, which needs two more calls of the owner.
    /// </summary>
    public bool TryGetReleasedAt(int core, long use, out long releasedAt)
    {
        var released = Volatile.Read(ref _releases[core]); // acquire; pairs with RecordRelease
        if (use < 1 || released < use || released > use + 1)
        {
            releasedAt = 0; // not recorded yet (or the counts disagree: then nothing can be judged)
            return false;
        }

        releasedAt = _releasedAt[(2 * core) + (int)(use & 1)];
        return true;
    }
}
