using System.Runtime.InteropServices;

namespace CrossCore.Tests.Support;

/// <summary>
/// A store-buffering race aligned on a core's real release, for the fences no unaligned stress test sees on this
/// hardware (O4's after the async release, O6's at the deferred run start). In each round the core is held in a gate
/// (a posted function that spins until the round is let go) with the racing target queued behind it; the caller lets
/// the gate go, waits a few nanoseconds, stores the datum and attempts the target once. The core meanwhile returns
/// from the gate, releases the target (a store) and runs its function, whose first load is the datum. With the fence
/// in place an answer that obliges the run in flight (Busy, Coalesced) means that run sees the datum; without it the
/// core's load can pass its own release store, which the caller's attempt then still reads as "in flight".
/// </summary>
/// <remarks>
/// The delay is a staircase on the answers: an obliging answer (the attempt came before the release was visible)
/// lengthens it, the other answer shortens it, so the attempts gather at the instant the release becomes visible,
/// where the reordering can show. Nothing here asserts a time: the rounds are counted, and a round waits for its runs
/// however long they take.
/// </remarks>
internal static class AlignedRace
{
    /// <summary>What a run of rounds found.</summary>
    /// <param name="Violations">Rounds whose obliging answer was followed by a run in flight that missed the datum.</param>
    /// <param name="Obliged">Rounds whose attempt got the obliging answer.</param>
    /// <param name="Rounds">Rounds run.</param>
    public readonly record struct Outcome(int Violations, int Obliged, int Rounds);

    /// <summary>
    /// Runs the rounds against <paramref name="core"/>. <paramref name="queue"/> claims and queues the target (it must
    /// succeed: the target is quiet at the start of every round); <paramref name="attempt"/> is the racing attempt and
    /// returns true for the obliging answer; <paramref name="quiet"/> is true once the target is neither queued nor running.
    /// The target's function must call <see cref="Log.Record"/> first.
    /// </summary>
    public static Outcome Run(CoreSet set, int core, int rounds, Log log, Func<bool> queue, Func<bool> attempt, Func<bool> quiet)
    {
        var random = new Random(12);
        var delay = 0;
        var violations = 0;
        var obliged = 0;
        for (var round = 1; round <= rounds; round++)
        {
            var before = Volatile.Read(ref log.Runs); // acquire; pairs with the release in Record
            set.Post(core, static g => g.Log.HoldUntil(g.Round), (Log: log, Round: round));
            Assert.True(queue(), "the target was quiet, so queueing it must succeed");
            var wait = delay + random.Next(8);
            Volatile.Write(ref log.Go, round); // release; the gate's acquire read lets the core go on to the target
            for (var i = 0; i < wait; i++)
            {
                _ = Volatile.Read(ref log.Spin);
            }

            Volatile.Write(ref log.Datum, round); // ordered before the attempt by its full fence (O1, O6)
            var mustSee = attempt();
            var expected = before + (mustSee ? 1 : 2);
            Wait.Until(() => Volatile.Read(ref log.Runs) == expected && quiet(), "the round's runs");
            if (mustSee)
            {
                obliged++;
                if (log.SeenBy(before) < round)
                {
                    violations++;
                }

                delay++;
            }
            else if (delay > 0)
            {
                delay--;
            }
        }

        return new Outcome(violations, obliged, rounds);
    }

    /// <summary>The shared words of the race, each on its own line (the gate's, the datum's, the run count's).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 320)]
    public sealed class Log
    {
        private const int Size = 1024;

        [FieldOffset(64)]
        public int Go;

        [FieldOffset(128)]
        public int Datum;

        [FieldOffset(192)]
        public int Runs;

        [FieldOffset(256)]
        public int Spin;

        [FieldOffset(8)]
        private readonly int[] _seen = new int[Size];

        /// <summary>The target's function, first thing: loads the datum, then counts the run.</summary>
        public void Record()
        {
            var seen = Volatile.Read(ref Datum); // the load that must not pass the core's release of the target
            var runs = Runs; // only the core writes it
            _seen[runs % Size] = seen;
            Volatile.Write(ref Runs, runs + 1); // release; pairs with the caller's acquire reads in Run
        }

        /// <summary>The datum that run number <paramref name="run"/> (counted from 0) saw.</summary>
        public int SeenBy(int run) => _seen[run % Size];

        /// <summary>The gate: spins on the core until <see cref="Go"/> reaches <paramref name="round"/>.</summary>
        public void HoldUntil(int round)
        {
            while (Volatile.Read(ref Go) < round) // acquire; pairs with the caller's release in Run
            {
            }
        }
    }
}
