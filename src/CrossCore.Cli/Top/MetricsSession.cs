using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace CrossCore.Cli.Top;

/// <summary>
/// An EventPipe session on another .NET process that asks its <c>System.Diagnostics.Metrics</c> EventSource for the
/// <c>CrossCore</c> Meter, the way <c>dotnet-counters</c> does: the provider's arguments name the Meter and the
/// refresh interval, and every interval the process publishes each instrument's rate or value as an event. A
/// background thread parses the stream (nettrace, with TraceEvent) into <see cref="TopModel"/>.
/// </summary>
internal sealed class MetricsSession : IDisposable
{
    /// <summary>The runtime's metrics EventSource (System.Diagnostics.DiagnosticSource's MetricsEventSource).</summary>
    private const string MetricsProvider = "System.Diagnostics.Metrics";

    /// <summary>Its keyword for the periodic values (TimeSeriesValues).</summary>
    private const long TimeSeriesValues = 0x2;

    private readonly EventPipeSession _session;
    private readonly Thread _reader;
    /// <summary>The metrics EventSource's shared session (.NET 8 and later): every client with the same settings gets
    /// the same values, so two tops, or top and dotnet-counters with the same interval, can watch one process.</summary>
    private const string SharedSessionId = "SHARED";

    private readonly string _sessionId = SharedSessionId;
    private readonly string _clientId = Guid.NewGuid().ToString();
    private readonly TopModel _model;
    private volatile bool _stopping;

    private MetricsSession(int processId, double intervalSeconds, TopModel model)
    {
        _model = model;
        var provider = new EventPipeProvider(MetricsProvider, EventLevel.Informational, TimeSeriesValues, new Dictionary<string, string>
        {
            ["SessionId"] = _sessionId,
            ["Metrics"] = "CrossCore",
            ["RefreshInterval"] = intervalSeconds.ToString(CultureInfo.InvariantCulture),
            ["MaxTimeSeries"] = "10000",
            ["MaxHistograms"] = "20",
            ["ClientId"] = _clientId,
        });
        _session = new DiagnosticsClient(processId).StartEventPipeSession([provider], requestRundown: false, circularBufferMB: 16);
        _reader = new Thread(Read) { IsBackground = true, Name = "crosscore top reader" };
        _reader.Start();
    }

    /// <summary>True once the event stream ended (the process exited, or the session was stopped).</summary>
    public bool Ended { get; private set; }

    /// <summary>Starts a session on <paramref name="processId"/>; throws if the process has no diagnostics port.</summary>
    public static MetricsSession Start(int processId, double intervalSeconds, TopModel model) => new(processId, intervalSeconds, model);

    /// <summary>Stops the session (the process stops sending) and waits for the reader to drain the stream.</summary>
    public void Dispose()
    {
        _stopping = true;
        try
        {
            _session.Stop();
        }
        catch (Exception e) when (e is ServerNotAvailableException or EndOfStreamException or IOException or TimeoutException or ServerErrorException)
        {
            // The process is gone already: nothing to stop.
        }

        _reader.Join(TimeSpan.FromSeconds(5));
        _session.Dispose();
    }

    private void Read()
    {
        try
        {
            using var source = new EventPipeEventSource(_session.EventStream);
            source.Dynamic.All += OnEvent;
            source.Process();
        }
        catch (Exception e) when (!_stopping)
        {
            _model.Fail($"the event stream broke: {e.Message}");
        }
        catch (Exception)
        {
            // Stopping: the stream may end mid-block.
        }
        finally
        {
            Ended = true;
        }
    }

    private void OnEvent(TraceEvent e)
    {
        if (e.ProviderName != MetricsProvider)
        {
            return;
        }

        switch (e.EventName)
        {
            case "CounterRateValuePublished" or "UpDownCounterRateValuePublished" or "GaugeValuePublished" when Ours(e):
                _model.Apply(new MetricEvent(
                    Text(e, "instrumentName") ?? string.Empty,
                    MetricEvent.ParseTags(Text(e, "tags")),
                    MetricEvent.ParseNumber(Text(e, "rate")),
                    MetricEvent.ParseNumber(Text(e, "value") ?? Text(e, "lastValue"))));
                break;
            case "CollectionStop" or "Collection/Stop" when Ours(e): // TraceEvent names a Stop-opcode event "Task/Stop"
                _model.CollectionDone();
                break;
            case "MultipleSessionsNotSupportedError" when Text(e, "runningSessionId") != _sessionId: // sent to every session; not about the running one
                _model.Fail("another metrics session (dotnet-counters, dotnet-monitor, another crosscore top) is running in that process");
                break;
            case "MultipleSessionsConfiguredIncorrectlyError":
                _model.Fail("another metrics session with other settings (interval, limits) is running in that process");
                break;
            case "Error" when Ours(e):
                _model.Fail($"the process reported: {Text(e, "errorMessage")}");
                break;
        }
    }

    private bool Ours(TraceEvent e) => Text(e, "sessionId") == _sessionId;

    private static string? Text(TraceEvent e, string field) => e.PayloadIndex(field) >= 0 ? e.PayloadByName(field) as string : null;
}
