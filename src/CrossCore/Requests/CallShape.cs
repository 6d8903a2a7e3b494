namespace CrossCore;

/// <summary>Which delegate type a <see cref="CallFunction{TState, TResult}"/> holds.</summary>
internal enum CallShape : byte
{
    /// <summary><c>Action&lt;TState&gt;</c>.</summary>
    Action,

    /// <summary><c>Action&lt;int, TState&gt;</c>: told the id of the core it runs on (many-calls).</summary>
    ActionOnCore,

    /// <summary><c>Func&lt;TState, TResult&gt;</c>.</summary>
    Func,

    /// <summary><c>Func&lt;int, TState, TResult&gt;</c>: told the id of the core it runs on.</summary>
    FuncOnCore,
}
