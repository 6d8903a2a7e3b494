namespace CrossCore.Diagnostics;

/// <summary>Readable names of user functions for reports and events.</summary>
internal static class DiagnosticNames
{
    /// <summary>"DeclaringType.Method", or "(none)".</summary>
    public static string Of(Delegate? function)
    {
        if (function is null)
        {
            return "(none)";
        }

        var method = function.Method;
        return method.DeclaringType is { } type ? $"{type.Name}.{method.Name}" : method.Name;
    }
}
