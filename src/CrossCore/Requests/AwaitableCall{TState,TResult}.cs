using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks.Sources;

namespace CrossCore;

/// <summary>
/// The pooled request behind <see cref="CoreSet.InvokeAsync{TState, TResult}(int, Func{TState, TResult}, TState, CancellationToken)"/>:
/// an inbox entry that is also the <see cref="IValueTaskSource{TResult}"/> of the caller's <see cref="ValueTask{TResult}"/>
/// (the shape of <c>AsyncOperation</c> in System.Threading.Channels).
/// </summary>
/// <remarks>
/// <para><b>Start or cancel (C12).</b> One atomic on <see cref="_phase"/> decides: the core's CAS Queued→Started, or the
/// token's CAS Queued→Cancelled. A cancelled entry stays in the inbox; the core skips it and lets it go.</para>
/// <para><b>Two owners.</b> The core (until it is done with the entry) and the awaiter (until it has read the
/// outcome) each hold one reference in <see cref="_refs"/>; whoever drops the last returns the entry to the pool,
/// so a cancelled entry that is still queued is never re-armed (C13).</para>
/// <para><b>Version token.</b> <see cref="ManualResetValueTaskSourceCore{TResult}"/> keeps it; reading the outcome
/// resets the source, so a second await of the same <see cref="ValueTask"/> fails with
/// <see cref="InvalidOperationException"/> and never touches a later use.</para>
/// <para><b>Where the continuation runs.</b> From outside the set: on the thread pool (never on the core). From a
/// core's task context: the entry travels back through the caller core's inbox as task work, and the continuation
/// runs there inline, so an await on a core resumes on that core without allocating.</para>
/// </remarks>
internal sealed class AwaitableCall<TState, TResult> : InboxEntry, IValueTaskSource<TResult>, IValueTaskSource
{
    private const int Idle = 0;
    private const int Queued = 1;
    private const int Started = 2;
    private const int Cancelled = 3;

    private ManualResetValueTaskSourceCore<TResult> _source;
    private CallFunction<TState, TResult> _function;
    private TState _state = default!;
    private Core? _home;
    private int _target;
    private int _phase;
    private int _refs;
    private CancellationTokenRegistration _registration;
    private TResult _result = default!;
    private ExceptionDispatchInfo? _error;

    public AwaitableCall() : base(EntryKind.Awaitable)
    {
    }

    internal override Delegate? DiagnosticFunction => _function.Delegate;

    internal override object? StateForDiagnostics => _state;

    /// <summary>The token of the current use, for the <see cref="ValueTask"/> the caller gets.</summary>
    public short Version => _source.Version;

    /// <summary>
    /// Arms a pooled entry for one call. The caller owns it exclusively (just rented); the push that follows
    /// publishes every field to the core (O2).
    /// </summary>
    /// <param name="function">The function.</param>
    /// <param name="state">Its argument.</param>
    /// <param name="target">The target core's id (for a detached run).</param>
    /// <param name="home">The caller's core when the caller runs in that core's task context, else null.</param>
    public void Arm(CallFunction<TState, TResult> function, TState state, int target, Core? home)
    {
        Debug.Assert(_phase == Idle && _refs == 0, "C13: a pooled awaitable call is armed only when both owners let it go.");
        Kind = EntryKind.Awaitable;
        _function = function;
        _state = state;
        _target = target;
        _home = home;
        _source.RunContinuationsAsynchronously = home is null; // never run a caller's continuation on a foreign core
        _refs = 2;
        _phase = Queued; // plain: published by the inbox push CAS (O2), and to the token callback by Register's fence
    }

    /// <summary>Links the caller's token. Called after <see cref="Arm"/> and before the push.</summary>
    public void RegisterCancellation(CancellationToken cancellationToken) =>
        _registration = cancellationToken.UnsafeRegister(static (s, token) => ((AwaitableCall<TState, TResult>)s!).Cancel(token), this);

    /// <summary>The core's run (handler context). Skips a cancelled entry.</summary>
    internal override void Execute(Core core) => Run(core.Id, core.Set);

    /// <summary>Runs the function on the calling thread: the target's inbox closed under us (the set was disposed).</summary>
    public void RunDetached(CoreSet set) => Run(_target, set);

    private void Run(int core, CoreSet set)
    {
        // C12: the one atomic that decides between the core and the token. Full fence; pairs with the CAS in Cancel.
        if (Interlocked.CompareExchange(ref _phase, Started, Queued) != Queued)
        {
            Forget();
            ReleaseReference(); // cancelled: the token completed the task; this was the core's last touch
            return;
        }

        TResult result = default!;
        ExceptionDispatchInfo? error = null;
        try
        {
            result = _function.Run(core, _state);
        }
        catch (Exception ex)
        {
            error = ExceptionDispatchInfo.Capture(ex);
            set.Telemetry.FunctionThrew(core, ex, _function.Delegate, waited: true);
        }

        var home = _home;
        if (home is null)
        {
            Forget();
            ReleaseReference(); // the awaiter still holds its reference, so this cannot free the entry
            Complete(result, error); // the last touch: the awaiter may reuse the entry from here on (O5)
            return;
        }

        // Back to the caller's core as task work; it completes the source there, in task context.
        _result = result;
        _error = error;
        Kind = EntryKind.TaskWork; // plain: published by the push CAS to the home core (O2)
        if (!home.Enqueue(this))
        {
            ThreadPool.UnsafeQueueUserWorkItem(static c => c.RunInTaskContext(), this, preferLocal: false); // home disposed
        }
    }

    /// <summary>On the caller's core: completes the caller's task; its continuation runs inline, here.</summary>
    internal override void RunInTaskContext()
    {
        var result = _result;
        var error = _error;
        _result = default!;
        _error = null;
        Forget();
        ReleaseReference();
        Complete(result, error);
    }

    private void Complete(TResult result, ExceptionDispatchInfo? error)
    {
        if (error is null)
        {
            _source.SetResult(result);
        }
        else
        {
            _source.SetException(error.SourceException);
        }
    }

    /// <summary>The token fired. Wins only while the core has not started the call.</summary>
    private void Cancel(CancellationToken token)
    {
        // C12: full fence; pairs with the core's CAS in Run. Exactly one of the two moves the call out of Queued.
        if (Interlocked.CompareExchange(ref _phase, Cancelled, Queued) != Queued)
        {
            return; // started: it completes with its outcome
        }

        if (_home is { } home)
        {
            // The caller awaits on its core: complete there, so its continuation resumes in that core's task context.
            home.SynchronizationContext.Post(static s => ((AwaitableCall<TState, TResult>)s!).CompleteCancelled(), this);
            return;
        }

        _source.SetException(new OperationCanceledException(token));
    }

    private void CompleteCancelled() => _source.SetException(new OperationCanceledException(_registration.Token));

    /// <summary>Drops the user's function and state so the pool does not keep them alive.</summary>
    private void Forget()
    {
        _function = default;
        _state = default!;
    }

    private void ReleaseReference()
    {
        // Full fence: the owner that drops the last reference sees every write of the other owner before it resets
        // the entry. Pairs with the other owner's decrement.
        if (Interlocked.Decrement(ref _refs) == 0)
        {
            _home = null;
            _registration = default;
            Volatile.Write(ref _phase, Idle); // release; pairs with the rent in AwaitablePool (a fresh owner)
            AwaitablePool<TState, TResult>.Return(this);
        }
    }

    /// <inheritdoc/>
    public ValueTaskSourceStatus GetStatus(short token) => _source.GetStatus(token);

    /// <inheritdoc/>
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        if (_home is not null)
        {
            flags &= ~ValueTaskSourceOnCompletedFlags.UseSchedulingContext; // completion already happens on the caller's core
        }

        _source.OnCompleted(continuation, state, token, flags);
    }

    /// <inheritdoc/>
    public TResult GetResult(short token)
    {
        if (token != _source.Version)
        {
            ThrowMisuse();
        }

        try
        {
            return _source.GetResult(token);
        }
        finally
        {
            _registration.Dispose(); // waits for a running token callback, which never blocks
            _source.Reset();         // a second await of this ValueTask now fails its token check
            ReleaseReference();
        }
    }

    void IValueTaskSource.GetResult(short token) => GetResult(token);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowMisuse() =>
        throw new InvalidOperationException(
            "This ValueTask from CoreSet.InvokeAsync was already awaited (or its result already read). A ValueTask " +
            "may be awaited only once; call AsTask() to await it more than once.");
}
