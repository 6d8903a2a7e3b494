namespace CrossCore.Hosting.Tests.Support;

/// <summary>
/// Holds a core inside a function until opened, so the requests queued behind it stay pending. Disposing opens it: a
/// test declares it with <c>using</c> after its host, so a failure while the core is held fails the test instead of
/// hanging the host's disposal, which waits for the core.
/// </summary>
public sealed class CoreGate : IDisposable
{
    private const int NotEntered = 0;
    private const int Holding = 1;
    private const int Opened = 2;

    private int _state;

    private CoreGate()
    {
    }

    /// <summary>
    /// Holds <paramref name="core"/> in the gate and returns once the function runs there, so a call made afterwards is
    /// queued behind it (a call made before might run first: a waiting call may overtake a posted one).
    /// </summary>
    public static CoreGate BlockCore(CoreSet set, int core)
    {
        var gate = new CoreGate();
        Assert.Equal(CallResult.Ok, set.TryPost(core, new CallDescriptor<CoreGate>(Hold, gate)));
        Wait.Until(() => Volatile.Read(ref gate._state) != NotEntered, $"core {core} to enter the gate"); // acquire; pairs with the CAS in Hold
        return gate;
    }

    /// <summary>Lets the held function return.</summary>
    public void Open() => Volatile.Write(ref _state, Opened); // release; pairs with the acquire read in Hold's loop

    /// <summary>Opens the gate.</summary>
    public void Dispose() => Open();

    /// <summary>The function on the core: spins until <see cref="Open"/>.</summary>
    private static void Hold(CoreGate gate)
    {
        Interlocked.CompareExchange(ref gate._state, Holding, NotEntered); // entered (unless already opened); pairs with the acquire read in BlockCore
        while (Volatile.Read(ref gate._state) != Opened) // acquire; pairs with the release in Open
        {
            Thread.SpinWait(20);
        }
    }
}
