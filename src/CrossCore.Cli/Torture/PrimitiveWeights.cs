using System.Globalization;
using System.Text;

namespace CrossCore.Cli.Torture;

/// <summary>
/// Relative frequencies of the primitives, picked by cumulative weight as scftorture does. Giving any weight sets the
/// others to 0 (scftorture: "if any weight is given, the ones left at -1 become 0"); all zero is an error.
/// </summary>
internal sealed class PrimitiveWeights
{
    private readonly int[] _weights;
    private readonly int[] _cumulative;

    private PrimitiveWeights(int[] weights)
    {
        _weights = weights;
        _cumulative = new int[weights.Length];
        var sum = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += weights[i];
            _cumulative[i] = sum;
        }

        Total = sum;
    }

    /// <summary>Every primitive weighted, the single-core calls most (as scftorture weights them).</summary>
    public static PrimitiveWeights Default { get; } = new(
    [
        4, // single
        4, // single_wait
        2, // single_rpc
        3, // async
        2, // async_own
        1, // many
        1, // many_wait
        1, // each_cond
        2, // any
        1, // task
        3, // deferred
        2, // deferred_own
        1, // deferred_lazy
        3, // await
    ]);

    public int Total { get; }

    public int this[Primitive primitive] => _weights[(int)primitive];

    /// <summary>Only <paramref name="primitives"/>, each with weight 1.</summary>
    public static PrimitiveWeights Only(params Primitive[] primitives)
    {
        var weights = new int[PrimitiveNames.Count];
        foreach (var p in primitives)
        {
            weights[(int)p] = 1;
        }

        return new PrimitiveWeights(weights);
    }

    /// <summary>Parses <c>single=4,single_wait=4,async=2</c> (also <c>default</c>).</summary>
    public static bool TryParse(string? spec, out PrimitiveWeights weights, out string? error)
    {
        weights = Default;
        error = null;
        if (string.IsNullOrWhiteSpace(spec) || spec.Trim().Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var values = new int[PrimitiveNames.Count];
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? part : part[..eq];
            if (!PrimitiveNames.TryParse(name, out var primitive))
            {
                error = $"unknown primitive '{name}' (known: {string.Join(", ", PrimitiveNames.All)})";
                return false;
            }

            var value = 1;
            if (eq >= 0 && (!int.TryParse(part[(eq + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out value) || value < 0 || value > 1_000_000))
            {
                error = $"bad weight in '{part}': expected an integer 0..1000000";
                return false;
            }

            values[(int)primitive] = value;
        }

        if (values.All(v => v == 0))
        {
            error = "all zero weights make no sense";
            return false;
        }

        weights = new PrimitiveWeights(values);
        return true;
    }

    /// <summary>Picks a primitive by cumulative weight.</summary>
    public Primitive Pick(ref Rng rng)
    {
        var x = rng.Next(Total);
        for (var i = 0; i < _cumulative.Length; i++)
        {
            if (x < _cumulative[i])
            {
                return (Primitive)i;
            }
        }

        return (Primitive)(_cumulative.Length - 1);
    }

    public IEnumerable<Primitive> Enabled()
    {
        for (var i = 0; i < _weights.Length; i++)
        {
            if (_weights[i] > 0)
            {
                yield return (Primitive)i;
            }
        }
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var p in Enabled())
        {
            if (sb.Length > 0)
            {
                sb.Append(',');
            }

            sb.Append(CultureInfo.InvariantCulture, $"{p.Name()}={this[p]}");
        }

        return sb.ToString();
    }

    /// <summary>Each choice's share in percent, as scftorture's <c>scf_sel_dump()</c> prints it.</summary>
    public string Shares()
    {
        var sb = new StringBuilder();
        foreach (var p in Enabled())
        {
            if (sb.Length > 0)
            {
                sb.Append(", ");
            }

            sb.Append(CultureInfo.InvariantCulture, $"{p.Name()} {100.0 * this[p] / Total:F1}%");
        }

        return sb.ToString();
    }
}
