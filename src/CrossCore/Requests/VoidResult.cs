namespace CrossCore;

/// <summary>The result type of calls whose function returns nothing, so one entry type serves both kinds.</summary>
internal readonly struct VoidResult
{
}
