using System.Text.Json;
using Digits.Reporting;

namespace Digits.Tests.Reporting;

public class StudyReportTests
{
    private static StudyPlan Plan(TempFolder tmp, double scale = 0.02) => new()
    {
        Data = TestData.Mnist,
        Outputs = StudyOutputs.Check(tmp.Path, "--out", StudyReport.ModelNames, TestData.Mnist.Location.Paths.Values),
        Scale = scale,
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
        var e = Assert.Throws<InvalidOptionException>(() => StudyOutputs.Check(file, "--out", StudyReport.ModelNames, []));
        Assert.Contains("is a file; give a folder", e.Problem);
    }
}
