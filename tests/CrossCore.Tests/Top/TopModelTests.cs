using CrossCore.Cli.Top;

namespace CrossCore.Tests.Top;

/// <summary>crosscore top's reading of the metric events: tags, rates per second, mean batch, state.</summary>
public sealed class TopModelTests
{
    private static MetricEvent Event(string instrument, string tags, string? rate, string? value) =>
        new(instrument, MetricEvent.ParseTags(tags), MetricEvent.ParseNumber(rate), MetricEvent.ParseNumber(value));

    [Fact]
    public void Tags_and_numbers_are_parsed_as_the_metrics_event_source_formats_them()
    {
        var tags = MetricEvent.ParseTags("set=torture,crosscore.core=1,crosscore.core.state=parked");
        Assert.Equal("torture", tags["set"]);
        Assert.Equal("1", tags["crosscore.core"]);
        Assert.Equal("parked", tags["crosscore.core.state"]);
        Assert.Empty(MetricEvent.ParseTags(""));
        Assert.Equal(1234.5, MetricEvent.ParseNumber("1234.5"));
        Assert.Null(MetricEvent.ParseNumber("")); // the first interval of a counter has no rate yet
    }

    [Fact]
    public void Rates_become_per_second_and_the_mean_batch_is_entries_over_batches()
    {
        var model = new TopModel(intervalSeconds: 0.5);
        model.Apply(Event("crosscore.core.calls", "set=s,crosscore.core=1", "500", "10000"));
        model.Apply(Event("crosscore.core.batches", "set=s,crosscore.core=1", "100", "2000"));
        model.Apply(Event("crosscore.core.batch.entries", "set=s,crosscore.core=1", "250", "5000"));
        model.Apply(Event("crosscore.core.wakeups", "set=s,crosscore.core=1,result=sent", "20", "1"));
        model.Apply(Event("crosscore.core.wakeups", "set=s,crosscore.core=1,result=avoided", "30", "1"));
        model.Apply(Event("crosscore.core.state", "set=s,crosscore.core=1,crosscore.core.state=running", "0", "0"));
        model.Apply(Event("crosscore.core.state", "set=s,crosscore.core=1,crosscore.core.state=parked", "0", "1"));
        model.Apply(Event("crosscore.core.stuck_calls", "set=s,crosscore.core=1", "0", "2"));
        model.Apply(Event("crosscore.core.calls", "set=s,crosscore.core=0", "", "0")); // no rate yet
        model.Apply(Event("crosscore.calls", "set=s,kind=sync,outcome=ran", "5", "5")); // a set-wide instrument: not a row

        var rows = model.Snapshot();
        Assert.Equal([new CoreKey("s", 0), new CoreKey("s", 1)], rows.Select(r => r.Key));
        var core0 = rows[0].Row;
        Assert.Null(core0.CallsPerSecond);
        Assert.Null(core0.MeanBatch);
        var core1 = rows[1].Row;
        Assert.Equal(1000, core1.CallsPerSecond);
        Assert.Equal(2.5, core1.MeanBatch);
        Assert.Equal(40, core1.WakeupsSentPerSecond);
        Assert.Equal(60, core1.WakeupsAvoidedPerSecond);
        Assert.Equal("parked", core1.State);
        Assert.Equal(2, core1.StuckNow);
    }
}
