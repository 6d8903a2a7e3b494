using CrossCore.Tests.Support;
using FsCheck;
using FsCheck.Fluent;

namespace CrossCore.Tests.Deferred;

/// <summary>
/// Model-based tests (FsCheck): random operation sequences against a sequential model of the deferred-work state
/// machine (free → claimed → pending → busy → free | claimed), and against real cores.
/// </summary>
public sealed class DeferredWorkModelTests
{
    /// <summary>One step. Nested: claims made from inside the running function (a queue while busy).</summary>
    public sealed record ModelStep(bool Run, int NestedClaims);

    private static readonly Gen<ModelStep> s_step =
        Gen.Frequency(
            (3, Gen.Constant(new ModelStep(false, 0))),                              // claim from outside
            (2, Gen.Constant(new ModelStep(true, 0))),                               // the runner runs it, if pending
            (2, Gen.Choose(1, 3).Select(n => new ModelStep(true, n))));              // run, and queue n times meanwhile

    [Fact]
    public void State_machine_matches_the_sequential_model()
    {
        using var set = Sets.Create(1);
        var property = Prop.ForAll(Gen.ListOf(s_step).ToArbitrary(), steps => CheckAgainstModel(set, steps));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), property);
    }

    private static bool CheckAgainstModel(CoreSet set, IEnumerable<ModelStep> steps)
    {
        var model = new Model();
        var probe = new Probe();
        var work = new DeferredWork<Probe>(set, static p => p.OnRun(), probe);
        probe.Work = work;
        foreach (var step in steps)
        {
            if (!step.Run)
            {
                var expected = model.Claim();
                Assert.Equal(expected, work.TryClaim());
            }
            else if (model.Pending)
            {
                probe.Nested = step.NestedClaims;
                probe.Model = model;
                model.BeginRun();
                work.Execute(null!); // exactly what the core does with a queued work
                model.EndRun();
                Assert.Equal(model.Runs, probe.Runs);
            }

            Assert.Equal(model.Pending, work.IsPending);
            Assert.Equal(model.Busy, work.IsBusy);
        }

        return true;
    }

    /// <summary>The kernel's irq_work state machine, sequentially.</summary>
    private sealed class Model
    {
        public bool Pending;
        public bool Busy;
        public int Runs;

        public bool Claim()
        {
            if (Pending)
            {
                return false; // coalesced
            }

            Pending = true;  // free or busy → claimed: a claim while busy succeeds (seed 2)
            Busy = true;
            return true;
        }

        public void BeginRun()
        {
            Pending = false; // pending → busy
            Runs++;
        }

        public void EndRun()
        {
            if (!Pending)
            {
                Busy = false; // busy → free, unless claimed meanwhile (then it stays claimed)
            }
        }
    }

    private sealed class Probe
    {
        public DeferredWork<Probe>? Work;
        public Model? Model;
        public int Nested;
        public int Runs;

        public void OnRun()
        {
            Runs++;
            Assert.True(Work!.IsBusy);
            Assert.False(Work.IsPending);
            for (var i = 0; i < Nested; i++)
            {
                Assert.Equal(Model!.Claim(), Work.TryClaim());
            }
        }
    }

    /// <summary>
    /// One step of the two-runner model: 0 claim, 1 start a run on runner r (it is held inside its function), 2 end
    /// runner r's run, 3 call Sync on a thread.
    /// </summary>
    public sealed record RunnerStep(int Kind, int Runner);

    /// <summary>
    /// C7 with overlapping runs: two runner threads run the work as two cores would (a claim made while runner 0's run
    /// is held inside its function may start a second run on runner 1), in random orders of claims, run starts, run
    /// ends and Sync calls. After every step IsPending and IsBusy must match a model that counts the runs in progress,
    /// and a Sync may return only when the model is not busy. Deterministic: runs are held by gates, and a step waits
    /// only for what it caused (a run to enter or leave, Sync to return or register).
    /// </summary>
    [Fact]
    public void Overlapping_runs_on_two_cores_match_the_counting_model_and_Sync_returns_only_when_none_runs()
    {
        using var set = Sets.Create(1);
        var kinds = Gen.Frequency((3, Gen.Constant(0)), (3, Gen.Constant(1)), (3, Gen.Constant(2)), (1, Gen.Constant(3)));
        var steps = Gen.ListOf(Gen.Zip(kinds, Gen.Choose(0, 1)).Select(t => new RunnerStep(t.Item1, t.Item2)));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(150), Prop.ForAll(steps.ToArbitrary(), list => CheckOverlapping(set, list)));
    }

    private static bool CheckOverlapping(CoreSet set, IEnumerable<RunnerStep> steps)
    {
        var model = new CountingModel();
        var held = new HeldRuns();
        var work = new DeferredWork<HeldRuns>(set, static h => h.OnRun(), held);
        var runs = new HeldRun?[2];
        Thread? syncer = null;
        foreach (var step in steps)
        {
            switch (step.Kind)
            {
                case 0:
                    Assert.Equal(model.Claim(), work.TryClaim());
                    break;
                case 1 when model.Pending && runs[step.Runner] is null:
                    runs[step.Runner] = HeldRun.Start(work, held);
                    model.BeginRun();
                    break;
                case 2 when runs[step.Runner] is { } run:
                    run.Finish();
                    runs[step.Runner] = null;
                    model.EndRun();
                    break;
                case 3 when syncer is null:
                    syncer = new Thread(work.Sync) { IsBackground = true, Name = "model Sync" };
                    syncer.Start();
                    Wait.Until(() => !syncer.IsAlive || work.SyncWaiterCount != 0, "Sync to return or to wait");
                    break;
            }

            Assert.Equal(model.Pending, work.IsPending);
            Assert.Equal(model.Busy, work.IsBusy);
            Assert.Equal(model.Runs, Volatile.Read(ref held.Runs));
            if (syncer is not null)
            {
                if (model.Busy)
                {
                    // Busy has stayed set since this Sync started (every step with Busy clear ends it below): it must still wait.
                    Assert.True(syncer.IsAlive, $"Sync returned while {model.Running} run(s) were in progress");
                }
                else
                {
                    Assert.True(syncer.Join(Wait.HangTimeout), "Sync did not return once no run was in progress");
                    syncer = null;
                }
            }
        }

        foreach (var run in runs)
        {
            run?.Finish();
            model.EndRun(run is not null);
        }

        if (model.Pending)
        {
            // A claim nobody ran yet: a core would run it (and a waiting Sync waits for that run too).
            HeldRun.Start(work, held).Finish();
            model.BeginRun();
            model.EndRun();
        }

        Assert.False(work.IsBusy);
        if (syncer is not null)
        {
            Assert.True(syncer.Join(Wait.HangTimeout), "Sync did not return after the last run ended");
        }

        Assert.DoesNotContain(false, held.Seen); // every run saw the work busy and not pending while its function ran
        return true;
    }

    /// <summary>The state machine with a count of runs in progress (C7): Busy clears only when the last run ends unclaimed.</summary>
    private sealed class CountingModel
    {
        public bool Pending;
        public bool Busy;
        public int Running;
        public int Runs;

        public bool Claim()
        {
            if (Pending)
            {
                return false;
            }

            Pending = true;
            Busy = true;
            return true;
        }

        public void BeginRun()
        {
            Pending = false;
            Running++;
            Runs++;
        }

        public void EndRun(bool ran = true)
        {
            if (!ran)
            {
                return;
            }

            Running--;
            if (Running == 0 && !Pending)
            {
                Busy = false;
            }
        }
    }

    /// <summary>The work's state: runs counted, and what each run saw of the flags while its function ran.</summary>
    private sealed class HeldRuns
    {
        [ThreadStatic]
        private static HeldRun? t_current;

        public int Runs;
        public System.Collections.Concurrent.ConcurrentBag<bool> Seen { get; } = [];
        public DeferredWork? Work;

        public static void Enter(HeldRun run) => t_current = run;

        /// <summary>The function: on a runner thread; holds until the test ends this run. Asserts nothing here (a throw would end the runner).</summary>
        public void OnRun()
        {
            Interlocked.Increment(ref Runs); // full fence; pairs with the test thread's Volatile.Read after the run entered
            Seen.Add(Work!.IsBusy && !Work.IsPending);
            t_current!.Hold();
        }
    }

    /// <summary>One run on its own thread (a core), held inside the function until <see cref="Finish"/>.</summary>
    private sealed class HeldRun : IDisposable
    {
        private readonly ManualResetEventSlim _entered = new(false);
        private readonly ManualResetEventSlim _release = new(false);
        private Thread? _thread;

        public static HeldRun Start(DeferredWork work, HeldRuns held)
        {
            held.Work = work;
            var run = new HeldRun();
            run._thread = new Thread(() =>
            {
                HeldRuns.Enter(run);
                work.Execute(null!); // exactly what a core does with the queued work
            }) { IsBackground = true, Name = "model runner" };
            run._thread.Start();
            Assert.True(run._entered.Wait(Wait.HangTimeout), "the run never entered its function");
            return run;
        }

        public void Hold()
        {
            _entered.Set();
            _release.Wait();
        }

        public void Finish()
        {
            _release.Set();
            Assert.True(_thread!.Join(Wait.HangTimeout), "the run never ended");
            Dispose();
        }

        /// <summary>Frees the events; <see cref="Finish"/> does it once the run's thread has ended.</summary>
        public void Dispose()
        {
            _entered.Dispose();
            _release.Dispose();
        }
    }

    /// <summary>A queue or a sync on real cores, from the test thread.</summary>
    public sealed record Op(int Kind, int Core);

    [Fact]
    public void On_real_cores_every_Queued_answer_is_one_run_and_the_last_datum_is_always_seen()
    {
        using var set = Sets.Create(2, poll: TimeSpan.FromMicroseconds(2));
        var ops = Gen.ListOf(Gen.Zip(Gen.Choose(0, 3), Gen.Choose(0, 1)).Select(t => new Op(t.Item1, t.Item2)));
        var property = Prop.ForAll(ops.ToArbitrary(), list =>
        {
            var box = new int[3]; // datum, last seen, runs
            var work = new DeferredWork<int[]>(set, static b =>
            {
                b[1] = Volatile.Read(ref b[0]);
                Interlocked.Increment(ref b[2]);
            }, box, DeferredWorkOptions.None);
            var queued = 0;
            var datum = 0;
            foreach (var op in list)
            {
                switch (op.Kind)
                {
                    case 0:
                    case 1:
                        box[0] = ++datum;
                        queued += work.QueueOn(op.Core) == QueueResult.Queued ? 1 : 0;
                        break;
                    case 2:
                        box[0] = ++datum;
                        queued += work.Queue() == QueueResult.Queued ? 1 : 0;
                        break;
                    default:
                        work.Sync();
                        Assert.Equal(queued, Volatile.Read(ref box[2])); // after Sync, every claim has run
                        break;
                }
            }

            work.Sync();
            Assert.Equal(queued, box[2]);
            Assert.Equal(datum, box[1]); // the last write before the last attempt was seen
            return true;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }
}
