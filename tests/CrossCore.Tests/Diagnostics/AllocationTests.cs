namespace CrossCore.Tests.DiagnosticsTests; // not ".Diagnostics": that would shadow CrossCore.Diagnostics in sibling test namespaces

/// <summary>
/// P4 with diagnostics on: the stuck-call detector armed (default 5 s timeout), the EventSource and the Meter created,
/// nobody listening. The hot paths must still allocate nothing, on the caller's thread and on the core's.
/// </summary>
[Collection(DiagnosticsCollection.Name)]
public sealed class AllocationTests
{
    private const int Calls = 10_000;
    private static long s_coreBytes;
    private static readonly Action<int> s_nop = static _ => { };
    private static readonly Action<int> s_readCoreBytes = static _ => s_coreBytes = GC.GetAllocatedBytesForCurrentThread();

    [Fact]
    public void Sync_async_and_deferred_hot_paths_allocate_nothing_with_diagnostics_on_and_nobody_listening()
    {
        using var set = new CoreSet(new CoreSetOptions { CoreCount = 2, Name = Diag.UniqueName("alloc") });
        Assert.Equal(TimeSpan.FromSeconds(5), set.StuckCallTimeout); // the detector is armed
        Assert.NotNull(CrossCoreEventSource.Log);
        Assert.False(CrossCoreEventSource.Log.IsEnabled(), "a listener is alive: this test needs none");

        var counter = new int[1];
        var descriptor = new CallDescriptor<int[]>(static c => Interlocked.Increment(ref c[0]), counter);
        var work = new DeferredWork<int[]>(set, static c => Interlocked.Increment(ref c[0]), counter);

        Run(set, descriptor, work, counter, 2_000); // warm up: pools, JIT tiers, the cached switches (stale ones refresh here)
        Assert.False(CrossCoreEventSource.CallsOn);
        Assert.False(CrossCoreEventSource.RunEventsOn);
        Assert.False(CrossCoreMetrics.Default.BatchSize.Enabled);
        Assert.False(CrossCoreMetrics.Default.SyncLatencyOn);

        set.Invoke(1, s_readCoreBytes, 0);
        var coreBefore = s_coreBytes;
        var callerBefore = GC.GetAllocatedBytesForCurrentThread();

        Run(set, descriptor, work, counter, Calls);

        var callerBytes = GC.GetAllocatedBytesForCurrentThread() - callerBefore;
        set.Invoke(1, s_readCoreBytes, 0);
        var coreBytes = s_coreBytes - coreBefore;

        Assert.Equal(0, callerBytes);
        Assert.Equal(0, coreBytes);
    }

    private static void Run(CoreSet set, CallDescriptor<int[]> descriptor, DeferredWork<int[]> work, int[] counter, int n)
    {
        for (var i = 0; i < n; i++)
        {
            set.Invoke(1, s_nop, i);                 // sync call: queued, run, released, waited for
            set.Post(1, s_nop, i);    // no-wait call through the per-sender descriptor

            var target = Volatile.Read(ref counter[0]) + 1;
            while (set.TryPost(1, descriptor) == CallResult.Busy)
            {
                Thread.SpinWait(1);
            }

            while (Volatile.Read(ref counter[0]) != target)
            {
                Thread.SpinWait(1);
            }

            target++;
            if (work.QueueOn(1) == QueueResult.Queued)
            {
                while (Volatile.Read(ref counter[0]) != target)
                {
                    Thread.SpinWait(1);
                }
            }
        }
    }
}
