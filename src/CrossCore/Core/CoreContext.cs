using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>
/// What the current thread is, for context rules (§6): a core (and which), in handler context or not, and the
/// <see cref="Parker"/> it waits with. The kernel's <c>in_task()</c>, <c>irqs_disabled()</c> and
/// <c>smp_processor_id()</c>.
/// </summary>
internal static class CoreContext
{
    [ThreadStatic]
    private static Core? t_core;

    [ThreadStatic]
    private static int t_handlerDepth;

    [ThreadStatic]
    private static Parker? t_parker;

    /// <summary>The core the calling thread is, or null for any thread outside every set.</summary>
    public static Core? CurrentCore
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => t_core;
    }

    /// <summary>True while the calling thread runs a call or deferred-work function (hard-irq context).</summary>
    public static bool InHandler
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => t_handlerDepth != 0;
    }

    /// <summary>The parker the calling thread waits with: its core's, or one of its own.</summary>
    public static Parker CurrentParker => t_core?.Parker ?? (t_parker ??= new Parker());

    /// <summary>Marks the calling thread as core <paramref name="core"/> (called once by the core's thread).</summary>
    public static void Bind(Core? core) => t_core = core;

    /// <summary>Enters handler context.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void EnterHandler() => t_handlerDepth++;

    /// <summary>Leaves handler context.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ExitHandler() => t_handlerDepth--;

    /// <summary>Throws the §6 error for a waiting operation attempted from handler context.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ThrowIfHandler(string operation)
    {
        if (t_handlerDepth != 0)
        {
            ThrowHandlerContext(operation);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowHandlerContext(string operation) =>
        throw new InvalidOperationException(
            $"{operation} was called from handler context (a call or deferred-work function running on core " +
            $"{t_core?.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}). It could deadlock: the core " +
            "cannot serve the requests it would wait for while this function runs. Use InvokeAsync, TryPost with a CallDescriptor " +
            "or DeferredWork.Queue from handler context, or RunAsync to move the waiting part to task context.");
}
