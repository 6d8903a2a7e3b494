namespace CrossCore;

/// <summary>
/// The target core of a waiting, awaited or posted call is offline (see <see cref="CoreSet.TakeOffline(int)"/>); nothing
/// was queued. For <see cref="CoreSet.InvokeAny{TState}(CoreMask?, Action{int, TState}, TState)"/>: no core of the mask
/// was online.
/// </summary>
public sealed class CoreOfflineException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="core"/>.</summary>
    /// <param name="core">The offline core's id, or -1 when no core of a mask was online.</param>
    public CoreOfflineException(int core)
        : base(core < 0 ? "No core of the mask is online; nothing was queued." : $"Core {core} is offline; nothing was queued.") => Core = core;

    /// <summary>The offline core's id, or -1 when no core of a mask was online.</summary>
    public int Core { get; }

    internal static CoreOfflineException NoneOnline() => new(-1);
}
