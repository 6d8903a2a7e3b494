using System.Numerics;

namespace CrossCore.Cli.Torture;

// Random choices: one family of the invoker's primitives (the class and its loops: Invoker.cs).
internal sealed partial class Invoker
{
    /// <summary>
    /// A random target. One aimed at a core the harness knows is offline is usually re-aimed at an online one (an
    /// Offline answer costs nothing, so otherwise they would crowd out everything else while a core is out); one in
    /// eight keeps exercising the Offline answers.
    /// </summary>
    private int PickCore()
    {
        var core = _rng.Next(_n);
        if (!_hot.IsOnline(core) && !_rng.OneIn(8))
        {
            var start = _rng.Next(_n);
            for (var i = 0; i < _n; i++)
            {
                var c = (start + i) % _n;
                if (_hot.IsOnline(c))
                {
                    core = c;
                    break;
                }
            }
        }

        Volatile.Write(ref _currentTarget, core);
        return core;
    }

    private long NextId() => ((long)Index << 40) | ++_seq;

    /// <summary>A random mask: all cores (null) one time in four, else a random non-empty subset.</summary>
    private void RandomMask(Request r)
    {
        if (_rng.OneIn(4))
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
            var bits = _rng.NextU64() & ValidBits(w);
            if (_rng.OneIn(2))
            {
                bits &= _rng.NextU64(); // sparser masks half the time
            }

            r.MaskBits[w] = bits;
            any |= bits != 0;
        }

        if (!any)
        {
            var core = _rng.Next(_n);
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
        var remaining = _n - (word << 6);
        return remaining >= 64 ? ulong.MaxValue : (1UL << remaining) - 1;
    }
}
