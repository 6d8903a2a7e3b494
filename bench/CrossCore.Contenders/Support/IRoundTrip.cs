namespace CrossCore.Contenders;

/// <summary>
/// One operation of a CrossCore round-trip loop (<see cref="CrossCoreLatencyContender"/>): a struct, so the loop that
/// is generic in it gets the call compiled in, as if written in place.
/// </summary>
public interface IRoundTrip
{
    /// <summary>Makes one call and returns once it is done.</summary>
    void Run();
}
