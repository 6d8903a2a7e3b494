using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CrossCore;

/// <summary>
/// A core's lanes: up to <see cref="Count"/> slots (<c>CoreSetOptions.SenderLaneCount</c>), each holding one known sender's <see cref="LaneCall"/>, which the core
/// polls beside its inbox. A thread that calls a core often takes a free slot on its first waiting call there and keeps
/// it; a slot whose owner has not called for <see cref="IdleMs"/> is taken over by a thread that needs one.
/// </summary>
/// <remarks>
/// Written rarely (a join, a leave, the close), read on every poll of the core and every lane call of a sender, so the
/// slots and the closed flag share one line of their own.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal sealed class CoreLanes
{
    /// <summary>The number of slots: how many senders at once call a core through a lane.</summary>
    public const int Count = 4;

    /// <summary>How long a lane's owner must not have called before another thread may take the lane.</summary>
    public const int IdleMs = 100;

    [FieldOffset(64)]
    private LaneCall? _slot0;

    [FieldOffset(72)]
    private LaneCall? _slot1;

    [FieldOffset(80)]
    private LaneCall? _slot2;

    [FieldOffset(88)]
    private LaneCall? _slot3;

    [FieldOffset(96)]
    private int _used; // slots 0.._used-1 have been used at least once (only grows): the core scans those

    [FieldOffset(100)]
    private int _closed;

    [FieldOffset(104)]
    private readonly int _capacity;

    /// <summary>Creates the lanes of one core, of which senders may take <paramref name="capacity"/> (0..<see cref="Count"/>).</summary>
    public CoreLanes(int capacity) => _capacity = capacity;

    /// <summary>True if senders may take lanes here (<c>CoreSetOptions.SenderLaneCount</c> is not zero).</summary>
    public bool Enabled
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _capacity != 0; // readonly after construction
    }

    /// <summary>True once the core has closed its lanes for good (dispose). Acquire; pairs with the Exchange in <see cref="Close"/>.</summary>
    public bool IsClosed
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref _closed) != 0;
    }

    /// <summary>How many slots the core scans (acquire; pairs with the CAS in <see cref="TryJoin"/>).</summary>
    public int Used
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref _used);
    }

    /// <summary>The call in slot <paramref name="index"/>, or null (acquire; pairs with the CAS that put it there).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public LaneCall? Slot(int index) => Volatile.Read(ref SlotRef(index));

    /// <summary>
    /// Puts <paramref name="call"/> into a free slot. The slot CAS is a full fence: it publishes the call's idle request
    /// word before the call can be seen (pairs with the acquire read in <see cref="Slot"/>). False if every slot is taken
    /// or the lanes are closed.
    /// </summary>
    public bool TryJoin(LaneCall call)
    {
        if (IsClosed)
        {
            return false;
        }

        for (var i = 0; i < _capacity; i++)
        {
            ref var slot = ref SlotRef(i);
            if (Volatile.Read(ref slot) is null && Interlocked.CompareExchange(ref slot, call, null) is null) // acquire read; the CAS: see the summary
            {
                RaiseUsed(i + 1);
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Takes over slot <paramref name="index"/> from <paramref name="victim"/>, whose request word the caller has just
    /// retired (<see cref="LaneCall.TryRetireIdle"/>): the victim can publish no more there. False if the slot no longer
    /// holds the victim (it left first).
    /// </summary>
    public bool TryReplace(int index, LaneCall victim, LaneCall call) =>
        // Full fence; pairs with the victim owner's CAS in Remove: one of the two changes the slot.
        Interlocked.CompareExchange(ref SlotRef(index), call, victim) == victim;

    /// <summary>Frees the slot that holds <paramref name="call"/>, if one does (its owner leaving).</summary>
    public void Remove(LaneCall call)
    {
        for (var i = 0; i < Count; i++)
        {
            // Full fence; pairs with a thief's CAS in TryReplace: one of the two changes the slot.
            if (Interlocked.CompareExchange(ref SlotRef(i), null, call) == call)
            {
                return;
            }
        }
    }

    /// <summary>Closes the lanes (the core's final drain). From here on the core takes a pending request only by a CAS
    /// that its owner contests (<see cref="LaneCall.TryTakeContested"/>).</summary>
    public void Close() =>
        // C9: full fence. Orders the close before the core's last scans of the slots; pairs with the owner's publishing
        // CAS, which it orders before its read of IsClosed: either the core's last scans see the request, or the owner
        // sees the close and takes the request back (both may: the contested CAS decides).
        Interlocked.Exchange(ref _closed, 1);

    private void RaiseUsed(int used)
    {
        var seen = Volatile.Read(ref _used); // acquire; the CAS below is the publication
        while (seen < used)
        {
            // Full fence; publishes the grown scan bound after the slot CAS (pairs with the acquire read in Used).
            var was = Interlocked.CompareExchange(ref _used, used, seen);
            if (was == seen)
            {
                return;
            }

            seen = was;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref LaneCall? SlotRef(int index) => ref Unsafe.Add(ref _slot0, index);
}
