using System.Text.Json;
using Digits.Neural;
using Digits.Neural.Training;
using Digits.Persistence;
using Digits.Reporting;
using Digits.Training;

namespace Digits.Tests.Reporting;

public class StudyReportTests
{
    private static StudyPlan Plan(TempFolder tmp, double scale = 0.02, bool full = false) => new()
    {
        Data = TestData.Mnist,
        Outputs = StudyOutputs.Check(tmp.File("report"), "--out", StudyReport.ModelNames(full), TestData.Mnist.Location.Paths.Values),
        Scale = scale,
        Full = full,
    };

    [Fact]
    public void The_plan_names_every_stage_with_its_image_counts_before_any_work()
    {
        using var tmp = new TempFolder();
        var report = StudyReport.Prepare(Plan(tmp));
        Assert.Equal(["logreg", "svm-tuning", "svm", "cnn-fast"], report.Stages.Select(s => s.Name));
        Assert.Contains("1,200 training images", report.Stages[0].What);
        Assert.Contains("first 200 training images", report.Stages[1].What);
        Assert.Empty(Directory.GetFiles(tmp.Path));
    }

    [Fact]
    public void A_report_cancelled_before_it_starts_still_writes_its_documents_marked_interrupted()
    {
        using var tmp = new TempFolder();
        var plan = Plan(tmp);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var result = StudyReport.Prepare(plan).Run(cancellationToken: cancelled.Token);

        Assert.True(result.Interrupted);
        Assert.Empty(result.Models);
        Assert.Equal(["logreg", "svm-tuning", "svm", "cnn-fast"], result.NotRun);
        using var json = JsonDocument.Parse(File.ReadAllText(plan.Outputs.ResultsJson));
        Assert.True(json.RootElement.GetProperty("interrupted").GetBoolean());
        Assert.Equal(0, json.RootElement.GetProperty("models").GetArrayLength());
        Assert.Equal(0, json.RootElement.GetProperty("charts").GetArrayLength());
        Assert.Contains("**Interrupted**", File.ReadAllText(plan.Outputs.ResultsMarkdown));
        Assert.False(File.Exists(plan.Outputs.ModelComparison));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.005)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_scale_outside_the_range_is_a_usage_error_naming_the_option(double scale)
    {
        var e = Assert.Throws<InvalidOptionException>(() => StudyPlan.ValidateScale(scale));
        Assert.Equal("--scale", e.Subject);
    }

    [Fact]
    public void An_output_folder_that_is_a_file_is_refused()
    {
        using var tmp = new TempFolder();
        string file = tmp.File("notes.txt");
        File.WriteAllText(file, "x");
        var e = Assert.Throws<InvalidOptionException>(() => StudyOutputs.Check(file, "--out", StudyReport.ModelNames(false), []));
        Assert.Contains("is a file; give a folder", e.Problem);
    }

    /// <summary>A two-member ensemble of the cnn recipe (one epoch each) on the 600 images a scale-0.01 full report's cnn
    /// stage trains on when <paramref name="subsetSeed"/> is 1, with 10% held out, as digits train cnn --ensemble saves it.</summary>
    internal static void TrainEnsemble(string path, ulong subsetSeed)
    {
        var recipe = Recipes.Cnn with { Training = Recipes.Cnn.Training with { Epochs = 1 } };
        TrainingSession.Prepare(new TrainingPlan
        {
            Trainer = new EnsembleTrainer(recipe, 2),
            Data = TestData.Mnist,
            Output = ModelOutput.Check(path, "--out", []),
            Seed = subsetSeed,
            ValidationFraction = 0.1,
            Subset = 600,
        }).Run();
    }

    [Fact]
    public void The_full_plan_trains_each_family_at_its_best_and_ends_with_the_ensemble()
    {
        using var tmp = new TempFolder();
        var report = StudyReport.Prepare(Plan(tmp, full: true));
        Assert.Equal(["logreg", "logreg-deskew", "linear-svm", "linear-svm-deskew", "svm-tuning", "svm", "svm-60k", "svm-60k-deskew-vsv", "cnn-fast", "cnn", "cnn-ensemble"],
            report.Stages.Select(s => s.Name));
        Assert.Contains("not run", report.Stages[^1].What);
        Assert.Contains("10% held out for validation", report.Stages[^2].What);
        Assert.All(report.Stages, s => Assert.True(s.ExpectedSeconds > 0));
    }

    [Fact]
    public void A_reuse_folder_picks_the_matching_ensemble_and_passes_over_models_of_other_kinds()
    {
        using var tmp = new TempFolder();
        string folder = tmp.File("models");
        Directory.CreateDirectory(folder);
        TrainEnsemble(Path.Combine(folder, "b-match.safetensors"), subsetSeed: 1);
        File.WriteAllText(Path.Combine(folder, "a-broken.safetensors"), "not a model");
        var report = StudyReport.Prepare(Plan(tmp, full: true, scale: 0.01) with { ReuseFolder = folder });
        Assert.Equal($"ensemble of cnn models, reused from {Path.Combine(folder, "b-match.safetensors")}", report.Stages[^1].What);
    }

    [Fact]
    public void A_reuse_folder_that_is_missing_or_given_without_full_is_a_usage_error()
    {
        using var tmp = new TempFolder();
        var missing = Assert.Throws<InvalidOptionException>(() => StudyReport.Prepare(Plan(tmp, full: true) with { ReuseFolder = tmp.File("nowhere") }));
        Assert.Equal("--reuse", missing.Subject);
        Assert.Contains("does not exist", missing.Problem);
        var partial = Assert.Throws<InvalidOptionException>(() => StudyReport.Prepare(Plan(tmp) with { ReuseFolder = tmp.Path }));
        Assert.Equal("--reuse: needs --full: only the full report has an ensemble row", $"{partial.Subject}: {partial.Problem}");
    }
}
