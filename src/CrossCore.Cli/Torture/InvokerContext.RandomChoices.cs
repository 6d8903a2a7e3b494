using System.Numerics;

namespace CrossCore.Cli.Torture;

// Random choices the primitives share (the context's state: InvokerContext.cs).
internal sealed partial class InvokerContext
{
    /// <summary>
    /// A random target. One aimed at a core the harness knows is offline is usually re-aimed at an online one (an
    /// Offline answer costs nothing, so otherwise they would crowd out everything else while a core is out); one in
    /// eight keeps exercising the Offline answers.
    /// </summary>
    public int PickCore()
    {
        var core = Random.Next(CoreCount);
        if (!Hotplug.IsOnline(core) && !Random.OneIn(8))
        {
            var start = Random.Next(CoreCount);
            for (var i = 0; i < CoreCount; i++)
            {
                var c = (start + i) % CoreCount;
                if (Hotplug.IsOnline(c))
                {
                    core = c;
                    break;
                }
            }
        }

        Aim(core);
        return core;
    }

    /// <summary>A random mask: all cores (null) one time in four, else a random non-empty subset.</summary>
    public void RandomMask(Request r)
    {
        if (Random.OneIn(4))
        {
            r.Mask = null;
            for (var w = 0; w < r.MaskBits.Length; w++)
            {
                r.MaskBits[w] = ValidBits(w);
            }

            return;
        }

        var mask = r.MaskStorage;
        mask.Clear();
        var any = false;
        for (var w = 0; w < r.MaskBits.Length; w++)
        {
            var bits = Random.NextU64() & ValidBits(w);
            if (Random.OneIn(2))
            {
                bits &= Random.NextU64(); // sparser masks half the time
            }

            r.MaskBits[w] = bits;
            any |= bits != 0;
        }

        if (!any)
        {
            var core = Random.Next(CoreCount);
            r.MaskBits[core >> 6] |= 1UL << (core & 63);
        }

        for (var w = 0; w < r.MaskBits.Length; w++)
        {
            for (var bits = r.MaskBits[w]; bits != 0; bits &= bits - 1)
            {
                mask.Add((w << 6) + BitOperations.TrailingZeroCount(bits));
            }
        }

        r.Mask = mask;
    }

    private ulong ValidBits(int word)
    {
        var remaining = CoreCount - (word << 6);
        return remaining >= 64 ? ulong.MaxValue : (1UL << remaining) - 1;
    }
}
