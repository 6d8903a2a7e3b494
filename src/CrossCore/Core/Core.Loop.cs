using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>
/// A core's loop: detach the inbox and run the batch (sync entries first, §5.1), run deferred work, run task-context
/// work, then idle (the kernel's idle loop around <c>__flush_smp_call_function_queue</c> and <c>irq_work_run</c>).
/// </summary>
internal sealed partial class Core
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once and never returns: tiered, it would run OSR code for life
    private void ThreadMain(object? ready)
    {
        // The test-only fault gate is initialized before the loop methods below are first called and compiled, so the
        // JIT folds their `FaultInjection.Enabled &&` tests away (a static readonly of an initialized class is a constant).
        _ = FaultInjection.Enabled;
        CoreContext.Bind(this);
        Pin();
        SynchronizationContext.SetSynchronizationContext(_syncContext);
        ((ManualResetEventSlim)ready!).Set();

        try
        {
            while (true)
            {
                var worked = ServiceHandlerWork();
                worked |= RunTaskWork();
                if (worked)
                {
                    continue;
                }

                if (_stopRequested)
                {
                    FinalDrain();
                    return;
                }

                if (!IsOnline)
                {
                    Dormant();
                    continue;
                }

                Idle();
            }
        }
        finally
        {
            Exit();
            CoreContext.Bind(null);
            SynchronizationContext.SetSynchronizationContext(null); // a dead thread's object can outlive it: not the set
            _stopped.TrySetResult();
        }
    }

    /// <summary>Runs the lanes, the inbox, raised deferred work and due lazy work. Returns true if it ran anything.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot core-thread path: see docs/PERFORMANCE.md, "Tiering"
    private bool ServiceHandlerWork()
    {
        var worked = Lanes.Used != 0 && ServeLanes(); // known senders' waiting calls: sync, so first (§5.1)
        var chain = Inbox.DetachAll(out var count, out var syncs);
        if (chain is not null)
        {
            RunBatch(chain, count, syncs);
            worked = true;
        }

        if (_lists.HasRaised)
        {
            RunList(_lists.TakeRaised());
            worked = true;
        }

        if (_lists.IsLazyDue)
        {
            RunList(_lists.TakeLazy());
            worked = true;
        }

        return worked;
    }

    /// <summary>What a core waiting in task context runs (O8): its inbox and its deferred work, as interrupts would.</summary>
    public void DrainWhileWaiting() => ServiceHandlerWork();

    /// <summary>
    /// Runs one detached batch (FIFO). Pass 1 runs the sync entries ("people are waiting for us", §5.1); pass 2
    /// runs the rest in order. Each entry's <c>Next</c> is read before it runs (O5: it may be released, reused or
    /// re-queued by its function).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot core-thread path: see docs/PERFORMANCE.md, "Tiering"
    private void RunBatch(InboxEntry? chain, int count, int syncs)
    {
        _run.MarkStart();
        Counters.RecordBatch(count);
        Set.Telemetry.Batch(this, count);

        if (syncs != 0)
        {
            chain = RunSyncsFirst(chain);
            if (syncs == count)
            {
                return;
            }
        }

        for (var entry = chain; entry is not null;)
        {
            var next = entry.Next; // O5
            switch (entry.Kind)
            {
                case EntryKind.TaskWork:
                    _lists.AddTask(entry);
                    break;
                case EntryKind.DeferredWork:
                    var work = (DeferredEntry)entry;
                    if (work.Work.IsLazy && !_stopRequested && IsOnline)
                    {
                        _lists.AddLazy(work, Set.TickTicks); // remote lazy work waits for this core's tick (§5.7)
                    }
                    else
                    {
                        RunEntry(entry);
                        Counters.DeferredRun++;
                    }

                    break;
                default:
                    if (FaultInjection.Enabled && TryFaultyRunAsync(entry)) // test-only emulations (Faults/Core.Faults.cs)
                    {
                        break;
                    }

                    RunEntry(entry);
                    Counters.AsyncRun++;
                    break;
            }

            entry = next;
        }
    }

    /// <summary>Pass 1 of a batch: unlinks and runs its sync entries, in order. Returns what is left of the chain.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot core-thread path: see docs/PERFORMANCE.md, "Tiering"
    private InboxEntry? RunSyncsFirst(InboxEntry? chain)
    {
        var head = chain;
        InboxEntry? previous = null;
        var entry = chain;
        while (entry is not null)
        {
            var next = entry.Next; // O5
            if (entry.Kind == EntryKind.Sync)
            {
                if (previous is null)
                {
                    head = next;
                }
                else
                {
                    previous.Next = next;
                }

                RunEntry(entry);
                Counters.SyncRun++;
            }
            else
            {
                previous = entry;
            }

            entry = next;
        }

        return head;
    }

    /// <summary>Runs the task items queued so far, serving handler work between items. Returns true if it ran any.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot core-thread path: see docs/PERFORMANCE.md, "Tiering"
    private bool RunTaskWork()
    {
        var work = _lists.TakeTasks();
        if (work is null)
        {
            return false;
        }

        while (work is not null)
        {
            var next = work.Next;
            work.Next = null;
            Counters.TaskRun++;
            work.RunInTaskContext();
            work = next;
            if (work is not null)
            {
                ServiceHandlerWork();
            }
        }

        return true;
    }
}
