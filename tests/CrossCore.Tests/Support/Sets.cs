namespace CrossCore.Tests.Support;

/// <summary>Test CoreSets with short poll durations so parked paths are exercised too.</summary>
public static class Sets
{
    /// <summary>A set of <paramref name="cores"/> cores, with the stuck-call reporter silenced unless asked.</summary>
    public static CoreSet Create(int cores, TimeSpan? poll = null, Action<FunctionExceptionInfo>? onException = null, string? name = null) =>
        new(Options(cores, poll, onException, name));

    /// <summary>As <see cref="Create"/>, with <paramref name="senderLanes"/> sender lanes per core (the lanes are opt-in).</summary>
    public static CoreSet CreateWithLanes(int cores, int senderLanes = CoreLanes.Count, TimeSpan? poll = null)
    {
        var options = Options(cores, poll, null, "test lanes");
        options.SenderLanes = senderLanes;
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
