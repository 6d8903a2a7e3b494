using System.Diagnostics;

namespace CrossCore.Cli.Torture;

/// <summary>task: <c>RunAsync</c> of task-context work, plain or async, on a random core.</summary>
internal sealed class TaskPrimitive : ITorturePrimitive
{
    public Primitive Kind => Primitive.Task;

    public bool MayAwait => true;

    public async ValueTask Execute(InvokerContext context, bool blocking)
    {
        var st = context.Stats(Primitive.Task);
        st.Attempts++;
        var target = context.PickCore();
        var r = context.Pool.Take();
        r.Begin(Primitive.Task, context.NextId());
        r.Intended = target;
        Request.Set(r.ExpectedBits, target);
        r.NestedTarget = context.Random.OneIn(4) ? context.PickCore() : -1;
        if (context.Sabotage != Sabotage.SkipIn)
        {
            r.In = 1;
        }

        var g = context.Hotplug.Begin();
        var t0 = Stopwatch.GetTimestamp();
        var task = context.Random.OneIn(2) ? context.Set.RunAsync(target, r.AsyncBody) : context.Set.RunAsync(target, Functions.TaskBody, r);
        var known = context.Hotplug.IsOnline(target);
        var stable = context.Hotplug.Stable(g);
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
                context.Violations.Add(ViolationKind.WrongAnswer, Primitive.Task, $"RunAsync on core {target} failed as offline while the core was online");
            }

            context.RecycleLocal(r);
            return;
        }

        st.Ok++;
        st.Latency.Record(context.Nanoseconds(t1 - t0));
        context.Accepted++;
        if (stable && !known)
        {
            context.Violations.Add(ViolationKind.WrongAnswer, Primitive.Task, $"RunAsync on core {target} was accepted while the core was offline");
        }

        context.FinishWait(r, 1);
    }

}
