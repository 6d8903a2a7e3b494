namespace CrossCore;

/// <summary>A condition a <see cref="Waiter"/> waits for. Implemented by small structs, so waiting never allocates.</summary>
internal interface IWaitCondition
{
    /// <summary>True once the wait is over. Must be an acquire read of whatever the releaser release-wrote.</summary>
    bool IsSatisfied { get; }
}
