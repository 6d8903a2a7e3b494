using System.Threading.Tasks.Sources;

namespace CrossCore.Cli.Torture;

/// <summary>
/// One torture request (scftorture's <c>scf_check</c>): who asked, for which core(s), the caller's <c>in</c> write, the
/// function's <c>out</c> write, and which cores ran it (one bit each, set atomically: a second run is a duplicate).
/// Pooled per invoker and reused, so the hot loop allocates nothing.
/// </summary>
/// <remarks>
/// <para>Completion of a no-wait request is a two-party countdown: <see cref="Remaining"/> starts at
/// <see cref="Bias"/>; every run decrements it; the caller, once the call returned and it knows how many runs to
/// expect (E), adds E − Bias. Whoever brings it to zero finalizes the request (checks, then recycles it), so neither
/// side ever touches a record the other may already have recycled.</para>
/// <para>Implements <see cref="IValueTaskSource"/> so a task-context invoker can await an RPC's completion without
/// allocating (the function signals it in handler context; the continuation is posted back to the invoker's core).</para>
/// </remarks>
internal sealed class Request : IValueTaskSource
{
    public const int Bias = 1 << 24;

    public const int PhaseFree = 0;
    public const int PhaseActive = 1;
    public const int PhaseLimbo = 2;

    private ManualResetValueTaskSourceCore<bool> _completion = new() { RunContinuationsAsynchronously = true };
    private Func<Task>? _asyncBody;

    public Request(InvokerContext owner, int words)
    {
        Owner = owner;
        RunBits = new ulong[words];
        ExpectedBits = new ulong[words];
        CondCalled = new ulong[words];
        MaskBits = new ulong[words];
    }

    public InvokerContext Owner { get; }

    public TortureEngine Engine => Owner.Engine;

    /// <summary>Cores that ran the function (atomic OR).</summary>
    public readonly ulong[] RunBits;

    /// <summary>Cores expected to run it (written by the caller; for each_cond by the condition, on the caller's thread).</summary>
    public readonly ulong[] ExpectedBits;

    /// <summary>Cores the each_cond condition was evaluated for.</summary>
    public readonly ulong[] CondCalled;

    /// <summary>The mask as bits (kept next to <see cref="MaskStorage"/>).</summary>
    public readonly ulong[] MaskBits;

    /// <summary>The mask passed to many/each_cond/any (reused storage; <see cref="Mask"/> is null for "all cores").</summary>
    public readonly CoreMask MaskStorage = new();

    public CoreMask? Mask;
    public long Id;
    public Primitive Primitive;
    public int Intended = -1;
    public int Chosen = -1;
    public int SelfCore = -1;
    public int NestedTarget = -1;
    public int CallerThread;
    public ulong CondSeed;
    public bool Wait;
    public bool Rpc;
    public bool UseValueTask;

    // Written across threads; each access names its pair where it matters.
    public int In;
    public int Out;
    public int RanOn = -1;
    public int Remaining;
    public int Phase;
    public int Done;
    public int NestedRuns;

    /// <summary>A no-wait call's sender thread: the function records the release of that thread's descriptor there.</summary>
    public SenderThread? Sender;

    /// <summary>When the function finished (written before a sync call's release, so the waiter sees it, O4).</summary>
    public long FinishedAt;

    public Request? NextFree;

    /// <summary>The async task body, created once per record.</summary>
    public Func<Task> AsyncBody => _asyncBody ??= () => Functions.TaskBodyAsync(this);

    /// <summary>Arms the record for a new request. Owner thread only; the record is free.</summary>
    public void Begin(Primitive primitive, long id)
    {
        Primitive = primitive;
        Id = id;
        Remaining = Bias;
        Phase = PhaseActive; // published to the function by the call's push (a CAS, O2)
    }

    /// <summary>True if <paramref name="core"/> is in <see cref="Mask"/> (null = all).</summary>
    public bool MaskContains(int core) => Mask is null || Mask.Contains(core);

    public static bool Has(ulong[] bits, int core) => ((bits[core >> 6] >> (core & 63)) & 1) != 0;

    public static void Set(ulong[] bits, int core) => bits[core >> 6] |= 1UL << (core & 63);

    /// <summary>Marks a run on <paramref name="core"/>; false if that core had already run it (a duplicate).</summary>
    public bool MarkRun(int core)
    {
        var bit = 1UL << (core & 63);
        return (Interlocked.Or(ref RunBits[core >> 6], bit) & bit) == 0; // atomicity: two runs cannot both see the bit clear
    }

    public ValueTask AsValueTask() => new(this, _completion.Version);

    /// <summary>Signals the awaiting invoker (the function's last touch of the record).</summary>
    public void Complete() => _completion.SetResult(true);

    /// <summary>Clears the record for reuse (by the thread that finalizes it; nobody else holds it).</summary>
    public void Reset()
    {
        Array.Clear(RunBits);
        Array.Clear(ExpectedBits);
        Array.Clear(CondCalled);
        Mask = null;
        Intended = -1;
        Chosen = -1;
        SelfCore = -1;
        NestedTarget = -1;
        Wait = false;
        Rpc = false;
        In = 0;
        Out = 0;
        RanOn = -1;
        Done = 0;
        NestedRuns = 0;
        Sender = null;
        if (UseValueTask)
        {
            _completion.Reset();
            UseValueTask = false;
        }

        Phase = PhaseFree;
    }

    void IValueTaskSource.GetResult(short token) => _completion.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);
}
