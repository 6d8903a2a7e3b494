namespace CrossCore.Tests.Support;

/// <summary>Test CoreSets with short poll durations so parked paths are exercised too.</summary>
public static class Sets
{
    /// <summary>A set of <paramref name="cores"/> cores, with the stuck-call reporter silenced unless asked.</summary>
    public static CoreSet Create(int cores, TimeSpan? poll = null, Action<FunctionExceptionInfo>? onException = null, string? name = null) =>
        new(new CoreSetOptions
        {
            CoreCount = cores,
            PollDuration = poll ?? TimeSpan.FromMicroseconds(50),
            OnFunctionException = onException,
            OnStuckCall = static _ => { },
            Name = name ?? "test",
        });
}
