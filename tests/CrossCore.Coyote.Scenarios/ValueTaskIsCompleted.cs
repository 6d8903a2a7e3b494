using Microsoft.Coyote.Rewriting;

namespace CrossCore.Coyote.Scenarios;

/// <summary>
/// A wait condition: an awaitable call's <see cref="ValueTask{TResult}"/> has completed. Evaluated by Coyote's scheduler
/// itself, so not rewritten (it must hold no scheduling point of its own); it asks the pooled source for its status.
/// </summary>
[SkipRewriting("evaluated by the scheduler itself")]
internal sealed class ValueTaskIsCompleted<TResult>(ValueTask<TResult> task)
{
    public bool Evaluate() => task.IsCompleted;
}
