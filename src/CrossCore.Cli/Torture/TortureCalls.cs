namespace CrossCore.Cli.Torture;

/// <summary>
/// The torture's view of the waiting and posted calls as answers: the library throws
/// <see cref="CoreOfflineException"/> for an offline target, and the torture checks that answer against what it knows
/// of the core's state, like any other outcome.
/// </summary>
internal static class TortureCalls
{
    /// <summary><see cref="CoreSet.Invoke{TState}(int, Action{TState}, TState)"/> (wait) or <see cref="CoreSet.Post{TState}(int, Action{TState}, TState)"/>.</summary>
    public static CallResult Single<TState>(CoreSet set, int core, Action<TState> function, TState state, bool wait)
    {
        try
        {
            if (wait)
            {
                set.Invoke(core, function, state);
            }
            else
            {
                set.Post(core, function, state);
            }

            return CallResult.Ok;
        }
        catch (CoreOfflineException ex) when (ex.Core == core)
        {
            return CallResult.Offline;
        }
    }

    /// <summary><see cref="CoreSet.InvokeAny{TState, TResult}(CoreMask?, Func{int, TState, TResult}, TState, out int)"/>; the result must be the chosen core.</summary>
    public static CallResult Any<TState>(CoreSet set, CoreMask? mask, Func<int, TState, int> function, TState state, out int core, out int result)
    {
        try
        {
            result = set.InvokeAny(mask, function, state, out core);
            return CallResult.Ok;
        }
        catch (CoreOfflineException ex) when (ex.Core < 0)
        {
            core = -1;
            result = -1;
            return CallResult.Offline;
        }
    }
}
