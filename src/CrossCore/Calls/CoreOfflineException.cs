namespace CrossCore;

/// <summary>The target core of a task-returning operation is offline (C8); nothing was queued.</summary>
public sealed class CoreOfflineException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="core"/>.</summary>
    public CoreOfflineException(int core)
        : base($"Core {core} is offline; nothing was queued.") => Core = core;

    /// <summary>The offline core.</summary>
    public int Core { get; }
}
