using System.Diagnostics;

namespace CrossCore.Cli.Torture;

// Task context: one family of the invoker's primitives (the class and its loops: Invoker.cs).
internal sealed partial class Invoker
{
    private async ValueTask OpTask(bool blocking)
    {
        var st = _stats[(int)Primitive.Task];
        st.Attempts++;
        var target = PickCore();
        var r = _pool.Take();
        r.Begin(Primitive.Task, NextId());
        r.Intended = target;
        Request.Set(r.ExpectedBits, target);
        r.NestedTarget = _rng.OneIn(4) ? PickCore() : -1;
        if (Engine.Sabotage != Sabotage.SkipIn)
        {
            r.In = 1;
        }

        var g = _hot.Begin();
        var t0 = Stopwatch.GetTimestamp();
        var task = _rng.OneIn(2) ? _set.RunAsync(target, r.AsyncBody) : _set.RunAsync(target, Functions.TaskBody, r);
        var known = _hot.IsOnline(target);
        var stable = _hot.Stable(g);
        var offline = false;
        try
        {
            if (blocking)
            {
                task.GetAwaiter().GetResult();
            }
            else
            {
                await task;
            }
        }
        catch (CoreOfflineException)
        {
            offline = true;
        }

        var t1 = Stopwatch.GetTimestamp();
        if (offline)
        {
            st.Offline++;
            if (stable && known)
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Task, $"RunAsync on core {target} failed as offline while the core was online");
            }

            RecycleLocal(r);
            return;
        }

        st.Ok++;
        st.Latency.Record(Engine.Nanoseconds(t1 - t0));
        Accepted++;
        if (stable && !known)
        {
            Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Task, $"RunAsync on core {target} was accepted while the core was offline");
        }

        FinishWait(r, 1);
    }
}
