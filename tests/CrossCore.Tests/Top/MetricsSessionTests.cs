using CrossCore.Cli.Top;
using CrossCore.Tests.DiagnosticsTests;

namespace CrossCore.Tests.Top;

/// <summary>
/// crosscore top's EventPipe session, end to end on this very process: the runtime's metrics EventSource publishes the
/// per-core instruments and the session turns them into rows. (The CLI in a terminal against a torture is checked by
/// scripts/check-top.sh.)
/// </summary>
[Collection(DiagnosticsCollection.Name)] // it enables the CrossCore Meter's instruments process-wide while it runs
public sealed class MetricsSessionTests
{
    [Theory]
    [InlineData(0)] // through the inbox: batches, so a mean batch
    [InlineData(CoreLanes.Count)] // the default: the caller's lane, so lane calls and no batch
    public void A_session_on_a_process_with_a_busy_core_shows_its_rows_with_calls_per_second(int senderLanes)
    {
        var name = Diag.UniqueName("top");
        using var set = new CoreSet(new CoreSetOptions { CoreCount = 2, Name = name, SenderLaneCount = senderLanes });
        var stop = 0;
        var caller = Diag.OnThread(() =>
        {
            for (var i = 0; i < 50_000_000 && Volatile.Read(ref stop) == 0; i++) // acquire; pairs with the release below (a flag)
            {
                set.Invoke(1, static () => { });
            }
        });

        var model = new TopModel(intervalSeconds: 0.2);
        var session = MetricsSession.Start(Environment.ProcessId, 0.2, model);
        try
        {
            Diag.Until(() => model.Snapshot().Any(r => r.Key == new CoreKey(name, 1) && r.Row.CallsPerSecond > 0 && r.Row.State is not null
                    && (senderLanes == 0 ? r.Row.MeanBatch > 0 : r.Row.LaneCallsPerSecond > 0)),
                senderLanes == 0 ? "a row for core 1 with calls per second, a state and a mean batch" : "a row for core 1 with calls and lane calls per second and a state");
            Assert.Contains(model.Snapshot(), r => r.Key == new CoreKey(name, 0));
            Assert.Null(model.Error);
            Assert.True(model.Collections > 0);
        }
        finally
        {
            Volatile.Write(ref stop, 1); // release; pairs with the caller's acquire (a flag)
            session.Dispose();
        }

        Diag.Join(caller, "the caller");
        Assert.True(session.Ended);
    }
}
