namespace CrossCore.Cli.Torture;

/// <summary>
/// One torture primitive: issues one request of its kind through the invoker's <see cref="InvokerContext"/> (its
/// random source, the set, the hotplug state, the request records, the counters and the checks) and checks what can
/// be checked at once. Primitives hold no state of their own: whatever lives from one request to the next (own
/// descriptors and works, the shared ones raced for, the records) is the context's, so one instance serves every
/// invoker (<see cref="TorturePrimitives"/>).
/// </summary>
internal interface ITorturePrimitive
{
    /// <summary>The primitive this issues (its weight, its row in the report, its name in the JSON).</summary>
    Primitive Kind { get; }

    /// <summary>
    /// Whether <see cref="Execute"/> may await when not <c>blocking</c>; in task context it then resumes on the
    /// invoker's core, which the invoker checks.
    /// </summary>
    bool MayAwait { get; }

    /// <summary>
    /// Issues one request and checks it. <paramref name="blocking"/>: waits by blocking the thread (an outside
    /// invoker, or a primitive that never awaits), so the result is complete when it returns; otherwise it may
    /// await (task context on a core).
    /// </summary>
    ValueTask Execute(InvokerContext context, bool blocking);
}
