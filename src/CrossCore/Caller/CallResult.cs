namespace CrossCore;

/// <summary>The outcome of a cross-core call (the kernel's 0 / -EBUSY / -ENXIO).</summary>
public enum CallResult
{
    /// <summary>The call ran (wait) or was queued (no wait). The kernel's 0.</summary>
    Ok = 0,

    /// <summary>
    /// The descriptor is still in flight (claimed and not yet released); nothing changed. The function that runs
    /// next sees every write the caller made before the attempt (O4). The kernel's -EBUSY.
    /// </summary>
    Busy = 1,

    /// <summary>The target core is offline (or no core of the mask is online); nothing was queued. The kernel's -ENXIO.</summary>
    Offline = 2,
}
