using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Digits.Bench;

// `-- quick [paths]` prints Stopwatch best-of GFLOP/s for tuning (see QuickRun); `-- train-step [steps]` times the
// Keras convnet's training step layer by layer and its inference (see TrainStepRun); `-- infer DATA MODEL...`
// times saved models on the MNIST test set (see InferenceRun); anything else goes to
// BenchmarkDotNet, e.g. `dotnet run -c Release --project bench/Digits.Bench -- --filter '*Gemm*'`.
if (args is ["quick", ..])
{
    QuickRun.Print(args.Skip(1).ToArray());
    return;
}
if (args is ["infer", ..])
{
    InferenceRun.Print(args.Skip(1).ToArray());
    return;
}
if (args is ["svm-fit", ..])
{
    SvmFitRun.Print(args.Skip(1).ToArray());
    return;
}
if (args is ["svm-votes", ..])
{
    SvmVotesRun.Print(args.Skip(1).ToArray());
    return;
}
if (args is ["train-step", ..])
{
    TrainStepRun.Print(args.Skip(1).ToArray());
    return;
}

// One call per iteration and many iterations, so that Min is the best single call: on a machine shared with other
// work, longer iterations average the other processes into every sample.
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithWarmupCount(5).WithIterationCount(60).WithInvocationCount(1).WithUnrollFactor(1)
        .WithToolchain(InProcessEmitToolchain.Instance))
    .AddColumn(StatisticColumn.Min)
    .AddColumn(Enum.GetValues<GflopsFigure>().Select(figure => new GflopsColumn(figure)).ToArray())
    .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(48))
    .WithOptions(ConfigOptions.JoinSummary);
BenchmarkSwitcher.FromAssembly(typeof(GemmShape).Assembly).Run(args, config);
