namespace CrossCore;

/// <summary>An exception thrown by an async call's or a deferred work's function (§6), as given to
/// <see cref="CoreSetOptions.OnFunctionException"/>.</summary>
/// <param name="Core">The core it ran on, or -1 if it ran on a caller's thread (a set disposed under the caller).</param>
/// <param name="Exception">What was thrown.</param>
/// <param name="Function">The function that threw.</param>
public sealed record FunctionExceptionInfo(int Core, Exception Exception, Delegate? Function)
{
    /// <summary>The function as "Type.Method", for logs.</summary>
    public string FunctionName => DiagnosticNames.Of(Function);
}
