using System.Diagnostics;

namespace CrossCore.Contenders;

/// <summary>
/// A handoff contender (P2 and the coalescing scenario): one or more senders push items, one consumer takes them.
/// The driver is sender 0; senders 1.. are <see cref="Partner"/> threads started by <see cref="Begin"/>. A run times
/// from the start signal until the consumer has taken every item of the run.
/// </summary>
public abstract class ThroughputContender : Contender
{
    private readonly Partner[] _helpers;
    private int _generation;
    private int _helpersDone;
    private int _helperShare;

    /// <summary>Creates the contender's second (third ...) senders.</summary>
    protected ThroughputContender(Placement placement, int senders)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(senders, 1);
        Placement = placement;
        Senders = senders;
        _helpers = new Partner[senders - 1];
        for (var i = 0; i < _helpers.Length; i++)
        {
            _helpers[i] = new Partner($"bench sender {i + 1}", placement.HelperCpu);
        }
    }

    /// <summary>Where the threads run.</summary>
    protected Placement Placement { get; }

    /// <summary>How many threads send.</summary>
    public int Senders { get; }

    /// <summary>Items handed off in every run so far (what the consumer must have taken at the end of a run).</summary>
    protected long Expected { get; private set; }

    /// <inheritdoc/>
    public override string? PinningError => _helpers.Select(h => h.PinningError).FirstOrDefault(e => e is not null);

    /// <inheritdoc/>
    public sealed override void Begin()
    {
        BeginConsumer();
        for (var i = 0; i < _helpers.Length; i++)
        {
            var sender = i + 1;
            _helpers[i].Start(self => HelperSession(self, sender));
        }
    }

    /// <inheritdoc/>
    public sealed override long Run(int ops)
    {
        var share = ops / Senders;
        var own = ops - (share * (Senders - 1));
        _helperShare = share;
        Volatile.Write(ref _helpersDone, 0);
        Expected += ops;

        var start = Stopwatch.GetTimestamp();
        Volatile.Write(ref _generation, _generation + 1); // release: the share above is visible to the helpers
        Produce(0, own);
        var spinner = new SpinWait();
        while (Volatile.Read(ref _helpersDone) != _helpers.Length)
        {
            spinner.SpinOnce(sleep1Threshold: -1); // yields: a helper may share the driver's CPU
        }

        WaitConsumed(Expected);
        return Stopwatch.GetTimestamp() - start;
    }

    /// <inheritdoc/>
    public sealed override void End()
    {
        foreach (var helper in _helpers)
        {
            helper.Stop();
        }

        EndConsumer();
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        foreach (var helper in _helpers)
        {
            helper.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Gets the consumer ready (untimed).</summary>
    protected abstract void BeginConsumer();

    /// <summary>Puts the consumer to sleep (untimed).</summary>
    protected abstract void EndConsumer();

    /// <summary>Sender <paramref name="sender"/> hands off <paramref name="count"/> items.</summary>
    protected abstract void Produce(int sender, int count);

    /// <summary>Waits until the consumer has taken <paramref name="total"/> items since the contender was made.</summary>
    protected abstract void WaitConsumed(long total);

    private void HelperSession(Partner self, int sender)
    {
        var seen = Volatile.Read(ref _generation);
        self.SignalReady();
        var spinner = new SpinWait();
        while (true)
        {
            var generation = Volatile.Read(ref _generation); // acquire; pairs with the release in Run
            if (generation == seen)
            {
                if (self.StopRequested)
                {
                    return;
                }

                spinner.SpinOnce(sleep1Threshold: -1); // yields: a helper may share the driver's CPU
                continue;
            }

            seen = generation;
            spinner.Reset();
            Produce(sender, _helperShare);
            Interlocked.Increment(ref _helpersDone);
        }
    }
}
