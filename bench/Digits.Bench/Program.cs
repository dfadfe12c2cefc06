using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Digits.Bench;

// Stopwatch harnesses, chosen by the first argument; anything else goes to BenchmarkDotNet, e.g.
// `dotnet run -c Release --project bench/Digits.Bench -- --filter '*Gemm*'`.
var modes = new Dictionary<string, Action<string[]>>
{
    ["quick"] = QuickRun.Print,           // [paths]: best-of GFLOP/s for tuning the GEMM
    ["train-step"] = TrainStepRun.Print,  // [RECIPE] [steps]: one training step layer by layer, and inference
    ["infer"] = InferenceRun.Print,       // DATA MODEL...: saved models on the MNIST test set, 10k and one image
    ["svm-fit"] = SvmFitRun.Print,        // DATA [N]: the kernel SVM's fit on the first N images, per thread split
    ["conv-parts"] = ConvPartsRun.Print,  // [conv1|one]: one convolution layer's im2col, GEMMs and col2im, one thread
    ["svm-votes"] = SvmVotesRun.Print,    // DATA SEED MODEL...: coupled probabilities against voting
    ["fuzz"] = FuzzRun.Print,             // [CASES] [SEED] [FORMAT...]: the mutation fuzzer, 100,000 cases per format
    ["learning-curve"] = LearningCurveRun.Print, // DATA OUT.png [RECIPE] [N] [EPOCHS] [FRACTION]: a short run's learning curve chart
    ["pipeline"] = PipelineRun.Print,     // DATA OUT [MODEL]: decode, normalize and predict of five named files, one thread
    ["normalize-dump"] = PipelineRun.Dump,       // DIR OUT.bin: the input pipeline's output for every file of a labelled folder
    ["normalize-compare"] = PipelineRun.Compare, // A.bin B.bin: how far two such dumps differ
    ["working-side"] = PipelineRun.WorkingSides, // DIR SIDE... [--model FILE]: accuracy and read time per working size
    ["folder"] = PipelineRun.Folder,      // DIR [MODEL]: a labelled folder end to end on all cores against one thread's time ÷ cores
    ["load-bodies"] = LoadBodiesRun.Print, // DATA OUT [N]: the HTTP load test's distinct request bodies (bench/load/run.sh)
    ["comparison"] = ComparisonChartRun.Print,   // OUT.png RUN.json...: the model comparison chart from `digits train --json` outputs
};
if (args.Length > 0 && modes.TryGetValue(args[0], out var mode))
{
    mode(args[1..]);
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
