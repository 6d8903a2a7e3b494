namespace CrossCore;

/// <summary>The outcome of <see cref="CoreSet.TakeOffline(int)"/> or <see cref="CoreSet.BringOnline(int)"/>.</summary>
public enum HotplugResult
{
    /// <summary>The core changed state (offline: it has drained everything accepted before).</summary>
    Done = 0,

    /// <summary>The core was already in the requested state; nothing happened.</summary>
    AlreadyInState = 1,

    /// <summary>The core took itself offline from its own task context: it drains when the current task item returns.</summary>
    Pending = 2,
}
