namespace CrossCore.Cli.Bench;

/// <summary>
/// A second floor a scenario's floor and CrossCore rows are also reported against (no target): P3's raw futex
/// ping-pong, the physical floor of a wake-up, under the <c>ManualResetEventSlim</c> floor the target is set on.
/// </summary>
/// <param name="Name">The reference contender's name (prefix).</param>
/// <param name="UnavailableReason">Why the reference cannot run on this machine (null: it can); the report says so.</param>
internal sealed record ReferenceFloorSpec(string Name, Func<string?> UnavailableReason);
