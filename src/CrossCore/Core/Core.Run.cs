using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>
/// Running entries in handler context, each with the run record published for the stuck-call detector (D1): one
/// entry of a batch, a deferred list, an inline call (C6), and the local deferred lists of <see cref="DeferredWork"/>.
/// </summary>
internal sealed partial class Core
{
    /// <summary>Runs a taken deferred list (FIFO).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot core-thread path: see docs/PERFORMANCE.md, "Tiering"
    private void RunList(DeferredEntry? work)
    {
        _run.MarkStart();
        while (work is not null)
        {
            var next = (DeferredEntry?)work.Next; // O5: read before the run; the work may be re-queued by its function
            work.Next = null;
            RunEntry(work);
            Counters.DeferredRun++;
            work = next;
        }
    }

    /// <summary>Runs one entry in handler context with the run record published for the stuck-call detector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RunEntry(InboxEntry entry)
    {
        // The batch loop read Next already (O5). Drop the link while we still own the entry (before the release in
        // Execute, which orders this store before any re-push): an entry that then sits in a pool or an idle
        // descriptor must not keep the rest of its batch alive, nor through it another (even a disposed) set.
        entry.Next = null;
        RunClaimed(entry);
    }

    /// <summary>Runs one entry whose <see cref="InboxEntry.Next"/> is already null (a lane call), with the run record.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RunClaimed(InboxEntry entry)
    {
        _run.Begin(entry, null); // the reader asks the entry for its function
        var trace = CrossCoreEventSource.RunEventsOn ? Set.Telemetry.FunctionEntry(this, entry) : default; // D2: reads the entry before it runs (O5)
        CoreContext.EnterHandler();
        try
        {
            entry.Execute(this);
        }
        catch (Exception ex)
        {
            // Async calls and deferred work: the entry was already released (its function never touches it after).
            Set.ReportFunctionException(this, ex, entry.DiagnosticFunction); // cold path: ask the entry (its function outlives the release)
        }
        finally
        {
            CoreContext.ExitHandler();
            _run.End();
            if (trace.On)
            {
                Set.Telemetry.FunctionExit(this, trace); // D2: from what entry captured, never from the entry (O5)
            }
        }
    }

    /// <summary>Runs a function inline in handler context on this core (C6), with the run record.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TResult RunInlineCall<TState, TResult>(CallFunction<TState, TResult> function, TState state)
    {
        _run.MarkStart();
        _run.Begin(null, function.Delegate);
        Counters.InlineRun++;
        var trace = CrossCoreEventSource.RunEventsOn ? Set.Telemetry.InlineFunctionEntry(this, function.Delegate!) : default; // D2
        CoreContext.EnterHandler();
        try
        {
            return function.Run(Id, state);
        }
        finally
        {
            CoreContext.ExitHandler();
            _run.End();
            if (trace.On)
            {
                Set.Telemetry.FunctionExit(this, trace); // D2
            }
        }
    }

    /// <summary>Runs a claimed entry inline on this core in handler context (C6, from the core's own task context).</summary>
    public void RunInlineEntry(InboxEntry entry)
    {
        RunEntry(entry);
        Counters.AsyncRun++;
    }

    /// <summary>Queues claimed deferred work on this core's own lists. Core thread only.</summary>
    public void EnqueueLocal(DeferredEntry work)
    {
        Debug.Assert(CoreContext.CurrentCore == this, "Only the core's own thread touches its local lists.");
        if (work.Work.IsLazy)
        {
            _lists.AddLazy(work, Set.TickTicks);
        }
        else
        {
            _lists.AddRaised(work);
        }
    }

    /// <summary>Runs claimed deferred work now, in handler context (an immediate local queue). Core thread only.</summary>
    public void RunLocalNow(DeferredEntry work)
    {
        _run.MarkStart();
        work.Next = null;
        RunEntry(work);
        Counters.DeferredRun++;
    }

    /// <summary>Runs this core's raised and lazy lists now (a Sync() on the core's own thread). Core thread only.</summary>
    public void RunLocalDeferredNow()
    {
        if (_lists.HasRaised)
        {
            RunList(_lists.TakeRaised());
        }

        if (_lists.HasLazy)
        {
            RunList(_lists.TakeLazy());
        }
    }
}
