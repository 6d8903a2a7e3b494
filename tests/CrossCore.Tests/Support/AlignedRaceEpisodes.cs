using CrossCore.Cli.Torture;

namespace CrossCore.Tests.Support;

/// <summary>
/// The unit tests' use of the torture's aligned race (<see cref="AlignedRace"/>): rounds against core 1 of fresh 2-core
/// sets, in episodes. How often the hardware shows a missing fence's reordering swings from run to run (the placement
/// of the vCPUs, the code's tier, other load: one run of 100 000 rounds saw thousands, the next none), so each episode
/// has a fresh set (fresh threads and lines), its own jitter width and placement, and the race stops at the first
/// violation. With the fences in place every episode runs, and none may see one.
/// </summary>
internal static class AlignedRaceEpisodes
{
    /// <summary>Rounds per episode (about 0.1 s of a quiet 2-vCPU machine).</summary>
    public const int RoundsPerEpisode = 100_000;

    /// <summary>Rounds per episode of the park race. A round parks and wakes the core: about 11 µs quiet, milliseconds beside
    /// CPU hogs (60 episodes of 2 000 rounds took 10 min beside two). M7a showed within 18 000 rounds in every run, quiet
    /// or loaded (docs/VERIFICATION.md), so 60 episodes of 1 000.</summary>
    public const int ParkRoundsPerEpisode = 1_000;

    /// <summary>Passes over the jitter widths: 3 × 10 widths × 2 placements = 60 episodes (about 5 s on the real code, quiet).</summary>
    private const int Passes = 3;

    /// <summary>The episodes, in order: the jitter width (spin iterations added to the staircase's delay) and whether the
    /// threads are pinned, both placements for each width. Whether this VM shows the reordering at all changes with the
    /// host's placement of its vCPUs, in stretches of seconds, so what buys the catch rate is the run's length: with M6,
    /// 20 episodes missed in 3 or 4 of 10 runs one day and 1 of 12 the next; 60 caught it in 25 of 25 quiet runs (the
    /// first violation as late as episode 38) and in 9 of 10 beside two CPU hogs (docs/VERIFICATION.md).</summary>
    private static readonly (int Jitter, bool Pinned)[] s_episodes =
        [.. Enumerable.Range(0, Passes)
            .SelectMany(_ => new[] { 8, 32, 2, 64, 16, 4, 128, 1, 24, 48 })
            .SelectMany(j => new[] { (j, true), (j, false) })];

    /// <summary>What the race found.</summary>
    /// <param name="Violations">Rounds whose obliging answer was not honoured (a run in flight that missed the datum, a core
    /// that parked with the probe queued); the race stops at the first.</param>
    /// <param name="Obliged">Rounds whose attempt got the obliging answer.</param>
    /// <param name="Rounds">Rounds run.</param>
    /// <param name="Episodes">Episodes run.</param>
    public readonly record struct Outcome(int Violations, int Obliged, int Rounds, int Episodes);

    private static readonly CoreSetOptions s_defaults = new();

    private static readonly Func<bool> s_never = static () => false;

    /// <summary>Runs the episodes of <see cref="AlignedRace"/>; <paramref name="target"/> makes the episode's target on its set.</summary>
    public static Outcome Run(Func<CoreSet, AlignedRaceTarget> target) =>
        Run(set =>
        {
            var t = target(set);
            return (jitter, random) => AlignedRace.Round(set, 1, t, jitter, random, s_never);
        }, pollDuration: null, RoundsPerEpisode);

    /// <summary>
    /// Runs the episodes of <see cref="AlignedParkRace"/> (a zero poll duration: the core parks as soon as it is idle), of
    /// <see cref="ParkRoundsPerEpisode"/> rounds each.
    /// </summary>
    public static Outcome RunParkRace() =>
        Run(set =>
        {
            var log = new AlignedParkRaceLog();
            return (jitter, random) => AlignedParkRace.Round(set, 1, log, jitter, random, s_never);
        }, pollDuration: TimeSpan.Zero, ParkRoundsPerEpisode);

    /// <summary>
    /// Runs the episodes of <see cref="AlignedWaitRace"/> (a zero poll duration: core 0's waiting call parks after its
    /// short spin), of <see cref="ParkRoundsPerEpisode"/> rounds each (a round costs about 50 µs quiet), through the inbox
    /// (<paramref name="senderLaneCount"/> 0) or a sender lane. Here core 0 is the caller, and the watcher shares its CPU
    /// when pinned: it yields while it waits.
    /// </summary>
    public static Outcome RunWaitRace(int senderLaneCount) =>
        Run(set =>
        {
            var race = new AlignedWaitRace(set, caller: 0, core: 1);
            return race.Round;
        }, pollDuration: TimeSpan.Zero, ParkRoundsPerEpisode, senderLaneCount);

    /// <summary>Runs the episodes; <paramref name="makeRound"/> makes the episode's round (jitter, random) on its set.</summary>
    private static Outcome Run(Func<CoreSet, Func<int, Random, AlignedRaceRound>> makeRound, TimeSpan? pollDuration, int rounds, int? senderLaneCount = null)
    {
        var total = default(Outcome);
        foreach (var (jitter, pinned) in s_episodes)
        {
            var episode = pinned && Environment.ProcessorCount >= 2
                ? OnPinnedThread(() => Episode(makeRound, pollDuration, senderLaneCount, rounds, jitter, pinned: true))
                : Episode(makeRound, pollDuration, senderLaneCount, rounds, jitter, pinned: false);
            total = new Outcome(total.Violations + episode.Violations, total.Obliged + episode.Obliged, total.Rounds + episode.Rounds, total.Episodes + 1);
            if (episode.Violations > 0)
            {
                break;
            }
        }

        return total;
    }

    /// <summary>Runs <paramref name="episode"/> on a thread of its own pinned to CPU 0 (the pin ends with the thread).</summary>
    private static Outcome OnPinnedThread(Func<Outcome> episode)
    {
        var result = default(Outcome);
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
    private static Outcome Episode(Func<CoreSet, Func<int, Random, AlignedRaceRound>> makeRound, TimeSpan? pollDuration, int? senderLaneCount, int rounds, int jitter, bool pinned)
    {
        using var set = new CoreSet(new CoreSetOptions
        {
            CoreCount = 2,
            PinToHardwareCpus = pinned,
            PollDuration = pollDuration ?? s_defaults.PollDuration,
            SenderLaneCount = senderLaneCount ?? s_defaults.SenderLaneCount,
            OnStuckCall = static _ => { },
            Name = "aligned race",
        });
        var round = makeRound(set);
        var random = new Random(jitter);
        var obliged = 0;
        for (var i = 0; i < rounds; i++)
        {
            switch (round(jitter, random))
            {
                case AlignedRaceRound.Obliged:
                    obliged++;
                    break;
                case AlignedRaceRound.Violation:
                    return new Outcome(1, obliged + 1, i + 1, 1); // one is enough: a mutant's run beside CPU hogs then ends in seconds, not minutes
                case AlignedRaceRound.Skipped:
                    Assert.Fail("a round of an online core's race was skipped");
                    break;
            }
        }

        return new Outcome(0, obliged, rounds, 1);
    }
}
