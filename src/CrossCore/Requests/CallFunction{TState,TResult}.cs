using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>
/// A user function of one of the four shapes a call accepts, stored without a wrapping closure: the delegate and
/// its shape. Entries keep one of these, so one pooled entry type serves actions, functions with results and
/// many-call functions that are told their core.
/// </summary>
internal readonly struct CallFunction<TState, TResult>
{
    private readonly Delegate? _delegate;
    private readonly CallShape _shape;

    private CallFunction(Delegate function, CallShape shape)
    {
        _delegate = function;
        _shape = shape;
    }

    /// <summary>The delegate, for diagnostics.</summary>
    public Delegate? Delegate => _delegate;

    /// <summary>True if <paramref name="other"/> calls the same delegate in the same shape.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsSameAs(in CallFunction<TState, TResult> other) => ReferenceEquals(_delegate, other._delegate) && _shape == other._shape;

    public static CallFunction<TState, TResult> Of(Action<TState> action) => new(action, CallShape.Action);

    public static CallFunction<TState, TResult> Of(Action<int, TState> action) => new(action, CallShape.ActionOnCore);

    public static CallFunction<TState, TResult> Of(Func<TState, TResult> function) => new(function, CallShape.Func);

    public static CallFunction<TState, TResult> Of(Func<int, TState, TResult> function) => new(function, CallShape.FuncOnCore);

    /// <summary>Calls the function on core <paramref name="core"/>; actions return <c>default</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TResult Run(int core, TState state)
    {
        // The shape fixes the delegate's type when the value is built (the factories above), so the casts are exact.
        switch (_shape)
        {
            case CallShape.Action:
                Unsafe.As<Action<TState>>(_delegate)!(state);
                return default!;
            case CallShape.ActionOnCore:
                Unsafe.As<Action<int, TState>>(_delegate)!(core, state);
                return default!;
            case CallShape.Func:
                return Unsafe.As<Func<TState, TResult>>(_delegate)!(state);
            default:
                return Unsafe.As<Func<int, TState, TResult>>(_delegate)!(core, state);
        }
    }
}
