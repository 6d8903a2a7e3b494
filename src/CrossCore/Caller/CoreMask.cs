using System.Collections;
using System.Numerics;
using System.Text;

namespace CrossCore;

/// <summary>
/// A set of core ids (the kernel's <c>struct cpumask</c>). Build it once and reuse it: passing a mask to a call
/// allocates nothing.
/// </summary>
/// <remarks>Not thread-safe for mutation; a call reads each bit once.</remarks>
public sealed class CoreMask : IEnumerable<int>
{
    private ulong[] _bits;

    /// <summary>Creates an empty mask.</summary>
    public CoreMask() => _bits = new ulong[1];

    /// <summary>Creates a mask holding <paramref name="cores"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is negative.</exception>
    public CoreMask(IEnumerable<int> cores)
        : this()
    {
        ArgumentNullException.ThrowIfNull(cores);
        foreach (var core in cores)
        {
            Add(core);
        }
    }

    /// <summary>A mask of cores 0..<paramref name="count"/>-1.</summary>
    public static CoreMask All(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var mask = new CoreMask();
        for (var i = 0; i < count; i++)
        {
            mask.Add(i);
        }

        return mask;
    }

    /// <summary>A mask of the given cores.</summary>
    public static CoreMask Of(params int[] cores) => new(cores);

    /// <summary>How many cores the mask holds.</summary>
    public int Count
    {
        get
        {
            var n = 0;
            foreach (var word in _bits)
            {
                n += BitOperations.PopCount(word);
            }

            return n;
        }
    }

    /// <summary>The highest id in the mask, or -1 if empty.</summary>
    public int Highest
    {
        get
        {
            for (var w = _bits.Length - 1; w >= 0; w--)
            {
                if (_bits[w] != 0)
                {
                    return (w * 64) + 63 - BitOperations.LeadingZeroCount(_bits[w]);
                }
            }

            return -1;
        }
    }

    /// <summary>Adds <paramref name="core"/>. Returns this mask, for chaining.</summary>
    public CoreMask Add(int core)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(core);
        var word = core >> 6;
        if (word >= _bits.Length)
        {
            Array.Resize(ref _bits, Math.Max(word + 1, _bits.Length * 2));
        }

        _bits[word] |= 1UL << (core & 63);
        return this;
    }

    /// <summary>Removes <paramref name="core"/>. Returns this mask, for chaining.</summary>
    public CoreMask Remove(int core)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(core);
        var word = core >> 6;
        if (word < _bits.Length)
        {
            _bits[word] &= ~(1UL << (core & 63));
        }

        return this;
    }

    /// <summary>Removes every core.</summary>
    public void Clear() => Array.Clear(_bits);

    /// <summary>True if the mask holds <paramref name="core"/>.</summary>
    public bool Contains(int core)
    {
        var word = core >> 6;
        return core >= 0 && word < _bits.Length && (_bits[word] & (1UL << (core & 63))) != 0;
    }

    /// <summary>Enumerates the ids in ascending order without allocating.</summary>
    public Enumerator GetEnumerator() => new(_bits);

    IEnumerator<int> IEnumerable<int>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The ids, e.g. <c>{0, 2, 3}</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("{");
        foreach (var core in this)
        {
            sb.Append(sb.Length > 1 ? ", " : string.Empty).Append(core);
        }

        return sb.Append('}').ToString();
    }

    /// <summary>Enumerates the set bits of a mask.</summary>
    public struct Enumerator : IEnumerator<int>
    {
        private readonly ulong[] _bits;
        private int _word;
        private ulong _current;

        internal Enumerator(ulong[] bits)
        {
            _bits = bits;
            _word = 0;
            _current = bits.Length > 0 ? bits[0] : 0;
            Current = -1;
        }

        /// <inheritdoc/>
        public int Current { get; private set; }

        readonly object IEnumerator.Current => Current;

        /// <inheritdoc/>
        public bool MoveNext()
        {
            while (_current == 0)
            {
                if (++_word >= _bits.Length)
                {
                    return false;
                }

                _current = _bits[_word];
            }

            var bit = BitOperations.TrailingZeroCount(_current);
            _current &= _current - 1;
            Current = (_word * 64) + bit;
            return true;
        }

        /// <inheritdoc/>
        public void Reset() => throw new NotSupportedException();

        /// <inheritdoc/>
        public readonly void Dispose()
        {
        }
    }
}
