namespace CrossCore.Tests.Support;

/// <summary>
/// Holds a core inside a function until released, so a test can pile requests into its inbox deterministically.
/// The function spins (handler context must not block on kernel objects for long, but a test gate may). Disposing
/// opens it, so a test that fails while a core is held fails instead of hanging in the set's disposal.
/// </summary>
public sealed class Gate : IDisposable
{
    private volatile bool _open;
    private volatile bool _entered;

    /// <summary>True once a function entered <see cref="Hold"/>.</summary>
    public bool Entered => _entered;

    /// <summary>Called inside a function on the core: spins until <see cref="Open"/>.</summary>
    public void Hold()
    {
        _entered = true;
        var spin = new SpinWait();
        while (!_open)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>Lets the held function return.</summary>
    public void Open() => _open = true;

    /// <summary>Opens the gate (a test declares it after its set, so the gate opens before the set's disposal waits).</summary>
    public void Dispose() => Open();

    /// <summary>Blocks the given core of <paramref name="set"/> in this gate and returns once it is inside.</summary>
    public static Gate BlockCore(CoreSet set, int core)
    {
        var gate = new Gate();
        var d = new CallDescriptor<Gate>(static g => g.Hold(), gate);
        Assert.Equal(CallResult.Ok, set.TryPost(core, d));
        Wait.Until(() => gate.Entered);
        return gate;
    }
}
