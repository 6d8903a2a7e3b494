using System.Runtime.CompilerServices;

namespace CrossCore;

public sealed partial class CoreSet
{
    /// <summary>
    /// Queues <paramref name="action"/>(<paramref name="state"/>) to run on <paramref name="core"/> and returns without
    /// waiting for it to run. The kernel's <c>smp_call_function_single(wait=0)</c>.
    /// </summary>
    /// <param name="core">The target core's id.</param>
    /// <param name="action">Runs on the target core in handler context: keep it short and never wait in it.</param>
    /// <param name="state">The action's argument.</param>
    /// <remarks>
    /// <para>Each thread keeps a small ring of posting descriptors per target core (and state type), so it may have up
    /// to 8 posts to one core queued at once: a post waits only when 8 of this thread's earlier posts to that core are
    /// still queued, and then only until the oldest of them has been dequeued there. (The kernel keeps one such
    /// descriptor per sender, so each post waits for the previous one.) Tasks running on one core share its thread, and
    /// so its rings. One thread's posts to one core run in the order they were made (a post that races the set's
    /// disposal may run on the calling thread instead). Allocation-free with a static lambda after the thread's first
    /// post to that core, which allocates the ring. An exception thrown by the action is reported
    /// (<see cref="CoreSetOptions.OnFunctionException"/>, events, metrics) and the core keeps serving. A post to the
    /// caller's own core runs inline, at once.</para>
    /// <para>To post from inside a function running on a core, or never to wait at all, use
    /// <see cref="TryPost(int, CallDescriptor)"/> with a descriptor you own.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="CoreOfflineException">The core is offline; nothing was queued.</exception>
    /// <exception cref="InvalidOperationException">Called from handler context (it may wait).</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public void Post<TState>(int core, Action<TState> action, TState state)
    {
        ArgumentNullException.ThrowIfNull(action);
        PostOn(GetCore(core), CallFunction<TState, VoidResult>.Of(action), state);
    }

    /// <summary>Queues <paramref name="action"/> to run on <paramref name="core"/>; see <see cref="Post{TState}(int, Action{TState}, TState)"/>.</summary>
    /// <param name="core">The target core's id.</param>
    /// <param name="action">Runs on the target core in handler context.</param>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="CoreOfflineException">The core is offline; nothing was queued.</exception>
    /// <exception cref="InvalidOperationException">Called from handler context.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public void Post(int core, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        PostOn(GetCore(core), CallFunction<Action, VoidResult>.Of(static a => a()), action);
    }

    private void PostOn<TState>(Core target, CallFunction<TState, VoidResult> function, TState state)
    {
        CoreContext.ThrowIfHandler(nameof(Post));
        if (!target.IsOnline)
        {
            CoreSetTelemetry.Offline(target, EntryKind.Async); // D3: counted on the cold path only
            throw new CoreOfflineException(target.Id);
        }

        if (target.IsCurrentThread)
        {
            target.RunInlineCall(function, state); // C6
            return;
        }

        QueueNoWait(target, CallPool<TState, VoidResult>.NoWait(target.Id, NoWaitRingSize), function, state);
    }

    /// <summary>
    /// Posts a caller-owned, reusable descriptor to <paramref name="core"/> and never waits: the kernel's
    /// <c>smp_call_function_single_async</c>, with the guarantee of its "safer" change.
    /// </summary>
    /// <param name="core">The target core's id.</param>
    /// <param name="descriptor">The descriptor; its function runs on the target core in handler context.</param>
    /// <returns>
    /// <see cref="CallResult.Ok"/>: queued (on the caller's own core, outside handler context, it ran inline).
    /// <see cref="CallResult.Busy"/>: the descriptor is still in flight; nothing changed, and its next run sees every
    /// write you made before this attempt. <see cref="CallResult.Offline"/>: the core is offline; nothing was queued and
    /// the descriptor is free to use again.
    /// </returns>
    /// <remarks>Allowed anywhere, including inside a function running on a core; a post to that core's own id from there
    /// runs after the current function (so a descriptor that re-posts itself cannot recurse). Of any number of threads
    /// posting one free descriptor at once, exactly one queues it. Allocates nothing.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="descriptor"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public CallResult TryPost(int core, CallDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var target = GetCore(core);
        var entry = descriptor.Entry;
        var claimed = TryClaimOnline(target, entry);
        return claimed == CallResult.Ok ? QueueClaimed(target, entry) : claimed;
    }

    /// <summary>
    /// As <see cref="TryPost(int, CallDescriptor)"/>, and when it answers <see cref="CallResult.Ok"/> the run receives
    /// <paramref name="state"/>. The state is written only after the claim succeeded, so it never races with an earlier
    /// run (which got its own state). Busy and Offline leave the descriptor and its state unchanged.
    /// </summary>
    /// <param name="core">The target core's id.</param>
    /// <param name="descriptor">The descriptor.</param>
    /// <param name="state">The state for this run.</param>
    /// <returns>As <see cref="TryPost(int, CallDescriptor)"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="descriptor"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public CallResult TryPost<TState>(int core, CallDescriptor<TState> descriptor, TState state)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var target = GetCore(core);
        var entry = descriptor.Entry;
        var claimed = TryClaimOnline(target, entry);
        if (claimed != CallResult.Ok)
        {
            return claimed;
        }

        descriptor.SetStateWhileClaimed(state); // we hold the claim: only we write it; the push CAS publishes it (O2)
        return QueueClaimed(target, entry);
    }

    /// <summary>Both forms of TryPost: Offline (nothing claimed), Busy (claimed by an earlier use), or Ok: the caller
    /// now holds the claim and must queue the entry.</summary>
    private static CallResult TryClaimOnline(Core target, AsyncEntry entry)
    {
        if (!target.IsOnline) // before the claim: an Offline answer never needs an undo (§5.4)
        {
            CoreSetTelemetry.Offline(target, EntryKind.Async); // D3: counted on the cold path only
            return CallResult.Offline;
        }

        if (!entry.TryClaim()) // O1
        {
            CoreSetTelemetry.Busy(target);
            return CallResult.Busy;
        }

        return CallResult.Ok;
    }

    /// <summary>Delivers a claimed descriptor: inline on the caller's own core in task context (C6), else by its inbox.</summary>
    private CallResult QueueClaimed(Core target, AsyncEntry entry)
    {
        if (target.IsCurrentThread && !CoreContext.InHandler)
        {
            target.RunInlineEntry(entry); // C6
            return CallResult.Ok;
        }

        if (!target.Enqueue(entry))
        {
            RunOrphan(target, entry);
        }

        return CallResult.Ok;
    }

    /// <summary>
    /// Claims a slot of this thread's ring for <paramref name="target"/> (C13; C1: waits only while the ring is full, until
    /// its oldest post is dequeued), arms it and queues the post.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void QueueNoWait<TState>(Core target, NoWaitRing<TState> ring, CallFunction<TState, VoidResult> function, TState state)
    {
        var call = ring.Claim(this, target);
        call.Prepare(function, state);
        if (!target.Enqueue(call))
        {
            RunOrphan(target, call);
        }
    }

    /// <summary>Runs a claimed async entry on the calling thread: its core's inbox closed under us (dispose).</summary>
    private void RunOrphan(Core target, InboxEntry entry)
    {
        try
        {
            entry.Execute(target);
        }
        catch (Exception ex)
        {
            ReportFunctionException(null, ex, entry.DiagnosticFunction);
        }
    }
}
