namespace CrossCore.Cli.Torture;

/// <summary>What one torture request exercises. Each is weighted (<see cref="PrimitiveWeights"/>) and gets a row in the report.</summary>
internal enum Primitive
{
    /// <summary><c>Post</c> to a random core (scftorture's SCF_PRIM_SINGLE, no wait).</summary>
    Single,

    /// <summary><c>Invoke</c> to a random core.</summary>
    SingleWait,

    /// <summary><c>Post</c>, then wait for a completion the function signals (SCF_PRIM_SINGLE_RPC).</summary>
    SingleRpc,

    /// <summary><c>TryPost</c> on descriptors shared by several invokers that race for them (Busy answers).</summary>
    Async,

    /// <summary><c>TryPost</c> on an invoker's own descriptor, re-queued in a tight loop: every Busy is checked exactly (O4).</summary>
    AsyncOwn,

    /// <summary><c>PostMany</c> on a random mask.</summary>
    Many,

    /// <summary><c>InvokeMany</c> on a random mask.</summary>
    ManyWait,

    /// <summary><c>InvokeOnEach</c> or <c>PostOnEach</c> with a random condition.</summary>
    EachCond,

    /// <summary><c>InvokeAny</c> on a random mask.</summary>
    Any,

    /// <summary><c>RunAsync</c>: task-context work, plain or async (it must resume on its core after an await).</summary>
    Task,

    /// <summary><c>DeferredWork.Queue/QueueOn</c> on works shared by several invokers (coalescing, last trigger).</summary>
    Deferred,

    /// <summary><c>DeferredWork.QueueOn</c> on an invoker's own work, re-queued in a tight loop: every Coalesced is checked exactly (O6, C7).</summary>
    DeferredOwn,

    /// <summary>As <see cref="DeferredOwn"/> with a lazy work (runs at the target's tick).</summary>
    DeferredLazy,

    /// <summary>
    /// <c>InvokeAsync</c> (with and without a result) to a random core, awaited from an outside thread or from a core's
    /// task context, with a cancellation racing the core's start of it.
    /// </summary>
    Await,
}

/// <summary>The names used on the command line, in the table and in the JSON.</summary>
internal static class PrimitiveNames
{
    public const int Count = (int)Primitive.Await + 1;

    private static readonly string[] s_names =
    [
        "single", "single_wait", "single_rpc", "async", "async_own", "many", "many_wait", "each_cond", "any", "task",
        "deferred", "deferred_own", "deferred_lazy", "await",
    ];

    public static IReadOnlyList<string> All => s_names;

    public static string Name(this Primitive primitive) => s_names[(int)primitive];

    public static bool TryParse(string name, out Primitive primitive)
    {
        var i = Array.IndexOf(s_names, name.Trim().ToLowerInvariant().Replace('-', '_'));
        primitive = (Primitive)Math.Max(i, 0);
        return i >= 0;
    }

    /// <summary>Functions of these run on many cores per request.</summary>
    public static bool IsMultiTarget(this Primitive primitive) => primitive is Primitive.Many or Primitive.ManyWait or Primitive.EachCond;
}
