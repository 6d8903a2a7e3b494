using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CrossCore.Contenders;

/// <summary>
/// P3 physical floor: the ping-pong of <see cref="EventPingPong"/> with the raw Linux futex system call instead of
/// <see cref="ManualResetEventSlim"/>: a request word and a reply word on two cache lines, each side sleeping in
/// <c>FUTEX_WAIT_PRIVATE</c> until the other stores the next sequence number and calls <c>FUTEX_WAKE_PRIVATE</c>. The
/// same untimed pause before each round trip puts the pong thread to sleep first, so every round trip is two kernel
/// wake-ups with nothing around them: no spinning, no waiter bookkeeping, no managed wait machinery. Linux only
/// (x86-64 and arm64, where the system call numbers are known); see <see cref="UnsupportedReason"/>.
/// </summary>
public sealed class FutexPingPong : PartnerPingPong
{
    private const int FutexWaitPrivate = 128; // FUTEX_WAIT | FUTEX_PRIVATE_FLAG
    private const int FutexWakePrivate = 129; // FUTEX_WAKE | FUTEX_PRIVATE_FLAG
    private const int RequestIndex = 16; // 64 bytes into the array: the request word has its own cache line
    private const int ReplyIndex = 48; // 128 bytes further: the reply word's line

    // On the pinned object heap: the kernel keys a private futex by its address, which must not move.
    private readonly int[] _words = GC.AllocateArray<int>(64, pinned: true);
    private readonly nint _request;
    private readonly nint _reply;

    /// <summary>Creates the pong thread on the partner CPU.</summary>
    /// <exception cref="PlatformNotSupportedException">Not Linux on x86-64 or arm64 (<see cref="UnsupportedReason"/>).</exception>
    public FutexPingPong(Placement placement)
        : base("futex pong", placement)
    {
        if (UnsupportedReason is { } reason)
        {
            throw new PlatformNotSupportedException(reason);
        }

        _request = Marshal.UnsafeAddrOfPinnedArrayElement(_words, RequestIndex);
        _reply = Marshal.UnsafeAddrOfPinnedArrayElement(_words, ReplyIndex);
    }

    /// <summary>Why this contender cannot run here, or <see langword="null"/> if it can (Linux on x86-64 or arm64).</summary>
    public static string? UnsupportedReason => !OperatingSystem.IsLinux()
        ? "the raw futex ping-pong needs Linux (the futex system call)"
        : SysFutex == 0
            ? $"the raw futex ping-pong knows the futex system call number only on x86-64 and arm64, not {RuntimeInformation.ProcessArchitecture}"
            : null;

    /// <inheritdoc/>
    public override string Name => "raw futex wait/wake ping-pong";

    /// <inheritdoc/>
    public override ContenderRole Role => ContenderRole.Reference;

    /// <inheritdoc/>
    protected override Action? UnblockPong => () =>
    {
        // Partner.Stop set StopRequested first; the pong re-checks it after every wake-up.
        Interlocked.Increment(ref _words[RequestIndex]); // full fence: the new value is stored before the wake; pairs with the pong's futex wait, which compares it in the kernel
        Wake(_request);
    };

    private static long SysFutex => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 202,
        Architecture.Arm64 => 98,
        _ => 0,
    };

    /// <summary>The untimed pause before each round trip (the same as <see cref="EventPingPong"/>'s).</summary>
    public static TimeSpan Gap => EventPingPong.Gap;

    /// <inheritdoc/>
    protected override long Loop<TClock>(int ops, TClock clock)
    {
        var words = _words;
        var gap = Gap.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond;
        long elapsed = 0;
        for (var i = 0; i < ops; i++)
        {
            Pause.For(gap);
            clock.Restart(i);
            var start = Stopwatch.GetTimestamp();
            // The next number after whatever the request word holds (the stop of the last session bumped it too).
            var sequence = words[RequestIndex] + 1; // a plain read: only this thread writes the word while a session runs
            // Full fence: the request is stored before the wake-up call reads the waiter list; pairs with the pong's
            // futex wait, whose in-kernel compare of the word runs under the futex bucket lock.
            Interlocked.Exchange(ref words[RequestIndex], sequence);
            Wake(_request);
            int seen;
            while ((seen = Volatile.Read(ref words[ReplyIndex])) != sequence) // acquire; pairs with the pong's exchange
            {
                Wait(_reply, seen); // sleeps only while the word still holds what we saw
            }

            elapsed += Stopwatch.GetTimestamp() - start;
            clock.Tick(i);
        }

        return elapsed;
    }

    /// <inheritdoc/>
    protected override void Pong(Partner self)
    {
        var words = _words;
        var last = Volatile.Read(ref words[RequestIndex]); // acquire; pairs with the driver's exchange
        self.SignalReady();
        while (true)
        {
            int value;
            while ((value = Volatile.Read(ref words[RequestIndex])) == last) // acquire; pairs with the driver's exchange
            {
                if (self.StopRequested)
                {
                    return;
                }

                Wait(_request, last);
            }

            last = value;
            if (self.StopRequested)
            {
                return;
            }

            // Full fence: the reply is stored before the wake-up; pairs with the driver's futex wait compare.
            Interlocked.Exchange(ref words[ReplyIndex], value);
            Wake(_reply);
        }
    }

    private static void Wait(nint address, int expected) =>
        _ = NativeMethods.syscall(SysFutex, address, FutexWaitPrivate, expected, 0, 0, 0); // EAGAIN / EINTR: the caller re-checks the word

    private static void Wake(nint address) =>
        _ = NativeMethods.syscall(SysFutex, address, FutexWakePrivate, 1, 0, 0, 0);

    // A classic DllImport with blittable arguments: this project does not allow unsafe code, which LibraryImport's
    // generated marshalling needs. syscall(2) is variadic; on x86-64 and arm64 Linux its integer arguments travel in
    // the same registers as a fixed-argument call's.
    private static class NativeMethods
    {
#pragma warning disable SYSLIB1054, CA5392, CA1401 // see above
        [DllImport("libc", SetLastError = false)]
        internal static extern long syscall(long number, nint uaddr, int futexOp, int val, nint timeout, nint uaddr2, int val3);
#pragma warning restore SYSLIB1054, CA5392, CA1401
    }
}
