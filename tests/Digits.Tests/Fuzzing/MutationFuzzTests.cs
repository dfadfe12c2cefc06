using Digits.Fuzzing;
using Xunit.Abstractions;

namespace Digits.Tests.Fuzzing;

/// <summary>
/// 300 mutated files per format, fixed seeds: every one loads with a checked result or is refused with a
/// <see cref="DigitsException"/>, within 10 s and the format's memory bound. The long run is
/// <c>dotnet run -c Release --project bench/Digits.Bench -- fuzz</c> (docs/reliability.md).
/// </summary>
public class MutationFuzzTests(ITestOutputHelper output)
{
    private const int Cases = 300;
    private const int Seed = 1;

    public static TheoryData<string> Formats => ["idx", "image", "safetensors"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Mutated_files_load_cleanly_or_fail_with_a_DigitsException(string format)
    {
        FuzzTarget target = format switch
        {
            "idx" => new IdxFuzzTarget(),
            "image" => new ImageFuzzTarget(),
            _ => new ModelFuzzTarget(),
        };

        FuzzReport report = FuzzEngine.Run(target, Seed, Cases);

        output.WriteLine(report.ToString());
        Assert.Empty(report.Failures);
        Assert.Equal(Cases, report.CleanErrors + report.Successes);
        // The mutations must not all be refused at the door: some cases reach every stage.
        Assert.All(report.Reached, count => Assert.True(count > 0, report.ToString()));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Every_seed_file_loads_as_it_is(string format)
    {
        FuzzTarget target = format switch
        {
            "idx" => new IdxFuzzTarget(),
            "image" => new ImageFuzzTarget(),
            _ => new ModelFuzzTarget(),
        };

        foreach (byte[] seed in target.Seeds)
        {
            var stages = new List<string>();
            target.Run(seed, stages.Add);
            Assert.Equal(target.Stages, stages);
        }
    }

    [Fact]
    public void A_case_replays_from_its_seed_and_number()
    {
        var target = new ModelFuzzTarget();

        Assert.Equal(FuzzEngine.Mutate(target, 7, 123), FuzzEngine.Mutate(target, 7, 123));
        Assert.NotEqual(FuzzEngine.Mutate(target, 7, 123), FuzzEngine.Mutate(target, 7, 124));
    }
}
