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
