using System.Reflection;
using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>Readable names of user functions for reports and events.</summary>
/// <remarks>Names are cached per method (weakly, so collectible code can unload): an event listener that follows
/// every function entry does not build a string per event.</remarks>
internal static class DiagnosticNames
{
    private static readonly ConditionalWeakTable<MethodInfo, string> s_names = new();

    /// <summary>"DeclaringType.Method", "DeclaringType.Outer.lambda" for a lambda, or "(none)".</summary>
    public static string Of(Delegate? function)
    {
        if (function is null)
        {
            return "(none)";
        }

        var method = function.Method;
        if (s_names.TryGetValue(method, out var name))
        {
            return name;
        }

        name = Format(method);
        s_names.AddOrUpdate(method, name);
        return name;
    }

    /// <summary>
    /// Compiler-generated names made readable: <c>&lt;&gt;c.&lt;Outer&gt;b__3_0</c> (a lambda in Outer, declared in
    /// the closure class <c>&lt;&gt;c</c> nested in the user's type) becomes <c>UserType.Outer.lambda</c>;
    /// <c>&lt;Outer&gt;g__Local|3_0</c> (a local function) becomes <c>UserType.Outer.Local</c>.
    /// </summary>
    internal static string Format(MethodInfo method)
    {
        var type = method.DeclaringType;
        while (type is not null && type.Name.StartsWith('<') && type.DeclaringType is not null)
        {
            type = type.DeclaringType; // skip closure classes (<>c, <>c__DisplayClass3_0)
        }

        var methodName = method.Name;
        if (methodName.StartsWith('<'))
        {
            var close = MatchingClose(methodName);
            if (close > 1)
            {
                var outer = methodName[1..close];
                if (outer.StartsWith('<') && MatchingClose(outer) is var inner and > 1)
                {
                    outer = outer[1..inner]; // top-level statements: <<Main>$>b__0_0 → Main
                }

                var rest = methodName[(close + 1)..];
                var local = "lambda";
                if (rest.StartsWith("g__", StringComparison.Ordinal))
                {
                    var bar = rest.IndexOf('|', StringComparison.Ordinal);
                    local = bar > 3 ? rest[3..bar] : rest[3..];
                }

                methodName = $"{outer}.{local}";
            }
        }

        return type is null ? methodName : $"{type.Name}.{methodName}";
    }

    /// <summary>The index of the '&gt;' that closes the '&lt;' at index 0, or -1.</summary>
    private static int MatchingClose(string name)
    {
        var depth = 0;
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] == '<')
            {
                depth++;
            }
            else if (name[i] == '>' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }
}
