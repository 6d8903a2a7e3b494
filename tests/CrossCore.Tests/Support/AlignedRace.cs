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
/// <para>The delay is a staircase on the answers: an obliging answer (the attempt came before the release was visible)
/// lengthens it, the other answer shortens it, so the attempts gather at the instant the release becomes visible,
/// where the reordering can show. Nothing here asserts a time: the rounds are counted, and a round waits for its runs
/// however long they take.</para>
/// <para>How often the hardware shows the reordering swings from run to run (the placement of the vCPUs, the code's
/// tier, other load: one run of 100 000 rounds saw thousands, the next none), so the rounds are split into episodes,
/// each with a fresh set (fresh threads and lines), its own jitter width and placement, and the race stops at the first
/// episode with a violation. With the fences in place every episode runs, and none may see one.</para>
/// </remarks>
internal static class AlignedRace
{
    /// <summary>Rounds per episode.</summary>
    public const int RoundsPerEpisode = 50_000;

    /// <summary>The episodes, in order: the jitter width (spin iterations added to the staircase's delay) and whether the
    /// threads are pinned. Both placements: on this VM M2 showed mostly pinned and M6 mostly unpinned.</summary>
    private static readonly (int Jitter, bool Pinned)[] s_episodes = [(8, true), (8, false), (32, true), (32, false), (2, true), (2, false), (64, true), (64, false)];

    /// <summary>What the race found.</summary>
    /// <param name="Violations">Rounds whose obliging answer was followed by a run in flight that missed the datum.</param>
    /// <param name="Obliged">Rounds whose attempt got the obliging answer.</param>
    /// <param name="Rounds">Rounds run.</param>
    /// <param name="Episodes">Episodes run.</param>
    public readonly record struct Outcome(int Violations, int Obliged, int Rounds, int Episodes);

    /// <summary>The racing target of one episode, made on that episode's set.</summary>
    /// <param name="Queue">Claims and queues the target; must succeed (the target is quiet at the start of every round).</param>
    /// <param name="Attempt">The racing attempt: true for the obliging answer.</param>
    /// <param name="Quiet">True once the target is neither queued nor running.</param>
    public readonly record struct Target(Func<bool> Queue, Func<bool> Attempt, Func<bool> Quiet);

    /// <summary>
    /// Runs the race against core 1 of a fresh 2-core set per episode. <paramref name="target"/> makes the episode's
    /// target on its set; the target's function must call <see cref="Log.Record"/> first.
    /// </summary>
    public static Outcome Run(Func<CoreSet, Log, Target> target)
    {
        var total = default(Outcome);
        foreach (var (jitter, pinned) in s_episodes)
        {
            var (violations, obliged) = pinned && Environment.ProcessorCount >= 2
                ? OnPinnedThread(() => Episode(target, jitter, pinned: true))
                : Episode(target, jitter, pinned: false);
            total = new Outcome(total.Violations + violations, total.Obliged + obliged, total.Rounds + RoundsPerEpisode, total.Episodes + 1);
            if (violations > 0)
            {
                break;
            }
        }

        return total;
    }

    /// <summary>Runs <paramref name="episode"/> on a thread of its own pinned to CPU 0 (the pin ends with the thread).</summary>
    private static (int Violations, int Obliged) OnPinnedThread(Func<(int Violations, int Obliged)> episode)
    {
        var result = default((int, int));
        Wait.OnThread(() =>
        {
            Affinity.TryPinCurrentThread(0, out _);
            result = episode();
        }, "a pinned episode of the aligned race");
        return result;
    }

    /// <summary>
    /// One episode on a fresh 2-core set. Pinned: core i on CPU i, the caller on CPU 0 (where core 0 parks unused), so
    /// the racing core and the caller never share a CPU; unpinned: wherever the scheduler puts them.
    /// </summary>
    private static (int Violations, int Obliged) Episode(Func<CoreSet, Log, Target> makeTarget, int jitter, bool pinned)
    {
        using var set = new CoreSet(new CoreSetOptions
        {
            CoreCount = 2,
            PinToHardwareCpus = pinned,
            OnStuckCall = static _ => { },
            Name = "aligned race",
        });
        var log = new Log();
        var target = makeTarget(set, log);
        var random = new Random(jitter);
        var delay = 0;
        var violations = 0;
        var obliged = 0;
        for (var round = 1; round <= RoundsPerEpisode; round++)
        {
            var before = Volatile.Read(ref log.Runs); // acquire; pairs with the release in Record
            set.Post(1, static g => g.Log.HoldUntil(g.Round), (Log: log, Round: round));
            Assert.True(target.Queue(), "the target was quiet, so queueing it must succeed");
            var wait = delay + random.Next(jitter);
            Volatile.Write(ref log.Go, round); // release; the gate's acquire read lets the core go on to the target
            for (var i = 0; i < wait; i++)
            {
                _ = Volatile.Read(ref log.Spin);
            }

            Volatile.Write(ref log.Datum, round); // ordered before the attempt by its full fence (O1, O6)
            var mustSee = target.Attempt();
            var expected = before + (mustSee ? 1 : 2);
            Wait.Until(() => Volatile.Read(ref log.Runs) == expected && target.Quiet(), "the round's runs");
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

        return (violations, obliged);
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
            Volatile.Write(ref Runs, runs + 1); // release; pairs with the caller's acquire reads in Episode
        }

        /// <summary>The datum that run number <paramref name="run"/> (counted from 0) saw.</summary>
        public int SeenBy(int run) => _seen[run % Size];

        /// <summary>The gate: spins on the core until <see cref="Go"/> reaches <paramref name="round"/>.</summary>
        public void HoldUntil(int round)
        {
            while (Volatile.Read(ref Go) < round) // acquire; pairs with the caller's release in Episode
            {
            }
        }
    }
}
