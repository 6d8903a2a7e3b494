namespace CrossCore.Tests.Support;

/// <summary>
/// Test CoreSets with short poll durations so parked paths are exercised too. <see cref="Create"/> sends every waiting
/// call through the inbox (no sender lanes), so the tests of the inbox's handshakes keep exercising them: with the
/// default lanes a test thread's calls would take a lane on their first call. <see cref="CreateWithLanes"/> turns the
/// lanes on; <c>LaneTests</c> checks the default.
/// </summary>
public static class Sets
{
    /// <summary>A set of <paramref name="cores"/> cores without sender lanes, with the stuck-call reporter silenced unless asked.</summary>
    public static CoreSet Create(int cores, TimeSpan? poll = null, Action<FunctionExceptionInfo>? onException = null, string? name = null)
    {
        var options = Options(cores, poll, onException, name);
        options.OverrideSenderLaneCount(0);
        return new CoreSet(options);
    }

    /// <summary>As <see cref="Create"/>, with <paramref name="senderLanes"/> sender lanes per core (default 4, as a set made with default options has).</summary>
    public static CoreSet CreateWithLanes(int cores, int senderLanes = CoreLanes.Count, TimeSpan? poll = null)
    {
        var options = Options(cores, poll, null, "test lanes");
        options.OverrideSenderLaneCount(senderLanes);
        return new CoreSet(options);
    }

    private static CoreSetOptions Options(int cores, TimeSpan? poll, Action<FunctionExceptionInfo>? onException, string? name) => new()
    {
        CoreCount = cores,
        PollDuration = poll ?? TimeSpan.FromMicroseconds(50),
        OnFunctionException = onException,
        OnStuckCall = static _ => { },
        Name = name ?? "test",
    };
}
