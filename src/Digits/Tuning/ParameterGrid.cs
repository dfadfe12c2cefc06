using System.Globalization;

namespace Digits.Tuning;

/// <summary>
/// A grid of hyperparameter values, written as <c>C=1,5,10;gamma=0.01,0.02,0.05</c>: parameters separated by
/// semicolons, each a name and a comma-separated list of numbers. Every combination is one trial.
/// </summary>
public sealed class ParameterGrid
{
    public ParameterGrid(IReadOnlyList<(string Name, double[] Values)> axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        if (axes.Count == 0)
            throw new ArgumentException("needs at least one parameter", nameof(axes));
        Axes = axes;
    }

    /// <summary>The parameters in the order written, each with its values in the order written.</summary>
    public IReadOnlyList<(string Name, double[] Values)> Axes { get; }

    /// <summary>The most combinations a grid may have: more would run for days, and is surely a typing slip.</summary>
    public const int MaxCombinations = 10_000;

    /// <summary>How many combinations the grid has.</summary>
    public int Count => (int)Combined(Axes);

    private static long Combined(IEnumerable<(string Name, double[] Values)> axes) =>
        axes.Aggregate(1L, (n, a) => Math.Min(n * a.Values.Length, long.MaxValue / 1_000_000));

    /// <summary>Parses <c>name=v1,v2;name2=…</c>; errors name the option and the part that is wrong.</summary>
    public static ParameterGrid Parse(string spec, IReadOnlyCollection<string> knownNames, string option = "--grid")
    {
        if (string.IsNullOrWhiteSpace(spec))
            throw new DigitsException(option, "is empty; write it like C=1,5,10;gamma=0.01,0.05");
        var axes = new List<(string, double[])>();
        foreach (string part in spec.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0)
                throw new DigitsException(option, $"'{part}' is not name=values");
            string name = part[..eq].Trim();
            string? known = knownNames.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
            if (known is null)
                throw new DigitsException(option, $"unknown parameter '{name}', expected one of {string.Join(", ", knownNames)}");
            if (axes.Any(a => a.Item1 == known))
                throw new DigitsException(option, $"parameter '{known}' is given twice");
            var values = new List<double>();
            foreach (string text in part[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                    throw new DigitsException(option, $"'{text}' in {known} is not a number");
                values.Add(v);
            }
            if (values.Count == 0)
                throw new DigitsException(option, $"parameter '{known}' has no values");
            axes.Add((known, values.Distinct().ToArray()));
            if (Combined(axes) > MaxCombinations)
                throw new DigitsException(option, $"has more than {MaxCombinations:N0} combinations; use fewer values");
        }
        return new ParameterGrid(axes);
    }

    /// <summary>Every combination, the last parameter varying fastest.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> Combinations()
    {
        var result = new List<IReadOnlyDictionary<string, double>>();
        var index = new int[Axes.Count];
        for (int n = 0; n < Count; n++)
        {
            var combo = new Dictionary<string, double>();
            for (int a = 0; a < Axes.Count; a++)
                combo[Axes[a].Name] = Axes[a].Values[index[a]];
            result.Add(combo);
            for (int a = Axes.Count - 1; a >= 0; a--)
            {
                if (++index[a] < Axes[a].Values.Length)
                    break;
                index[a] = 0;
            }
        }
        return result;
    }

    /// <summary>
    /// Random search (Bergstra and Bengio 2012): <paramref name="count"/> distinct combinations drawn without
    /// replacement, reproducibly for a seed; the whole grid when it has no more than that.
    /// </summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> Sample(int count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var all = Combinations().ToArray();
        if (count >= all.Length)
            return all;
        new Rng(seed).Shuffle(all.AsSpan());
        return all[..count];
    }
}
