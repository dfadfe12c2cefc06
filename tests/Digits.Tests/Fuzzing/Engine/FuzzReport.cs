using System.Globalization;
using System.Text;

namespace Digits.Fuzzing;

/// <summary>One case that broke the rules, with what it takes to replay it: <c>FuzzEngine.Mutate(target, Seed, Case)</c>.</summary>
/// <param name="Problem">The unexpected exception's type and message, the failed check, a hang or the memory used.</param>
public sealed record FuzzFailure(int Seed, int Case, string Problem);

/// <summary>What a fuzzing run of one format found.</summary>
public sealed class FuzzReport(string format, IReadOnlyList<string> stages)
{
    private readonly long[] reached = new long[stages.Count];
    private readonly List<FuzzFailure> failures = [];

    public string Format { get; } = format;

    public IReadOnlyList<string> Stages { get; } = stages;

    public long Cases { get; private set; }

    /// <summary>Cases the loader refused with a <see cref="DigitsException"/>.</summary>
    public long CleanErrors { get; private set; }

    /// <summary>Cases that loaded and passed the target's checks.</summary>
    public long Successes { get; private set; }

    /// <summary>Cases that passed each stage, in the order of <see cref="Stages"/>.</summary>
    public IReadOnlyList<long> Reached => reached;

    public double SlowestMilliseconds { get; private set; }

    public int SlowestCase { get; private set; }

    public IReadOnlyList<FuzzFailure> Failures => failures;

    internal void Add(int caseNumber, IReadOnlySet<string> stagesReached, bool success, FuzzFailure? failure, double milliseconds)
    {
        Cases++;
        for (int i = 0; i < Stages.Count; i++)
        {
            if (stagesReached.Contains(Stages[i]))
                reached[i]++;
        }
        if (failure is not null)
            failures.Add(failure);
        else if (success)
            Successes++;
        else
            CleanErrors++;
        if (milliseconds > SlowestMilliseconds)
            (SlowestMilliseconds, SlowestCase) = (milliseconds, caseNumber);
    }

    /// <summary>A few lines: counts, stages reached, the slowest case and every failure.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"{Format}: {Cases} cases, {CleanErrors} clean errors, {Successes} successes, {Failures.Count} failures; slowest case {SlowestCase}: {SlowestMilliseconds:0.0} ms\n");
        text.Append("  reached: ").AppendJoin(", ", Stages.Select((stage, i) => $"{stage} {reached[i]}")).Append('\n');
        foreach (var failure in Failures)
            text.Append(CultureInfo.InvariantCulture, $"  FAILURE seed {failure.Seed} case {failure.Case}: {failure.Problem}\n");
        return text.ToString();
    }
}
