namespace CrossCore.Tests.Support;

/// <summary>Tests that flip the process-global fault switches run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultInjectionCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "FaultInjection";
}
