using Digits.Classical;
using Digits.Data;
using Digits.Evaluation;
using Digits.Imaging;

namespace Digits.Tests.Evaluation;

/// <summary>A model on a labelled image folder: every picture counts, those without a digit as wrong.</summary>
public class ImageFolderEvaluatorTests
{
    private static readonly Lazy<SoftmaxRegression> Model = new(() =>
        new SoftmaxRegressionTrainer(new SoftmaxRegressionOptions { C = 0.1 }).Fit(TestData.Mnist.Train.Take(2000)));

    private const int Digits = 30;

    /// <summary>MNIST test images 0..29 as PNGs, then a blank page and a broken file, all labelled.</summary>
    private static void WriteFolder(TempFolder folder, bool subfolders)
    {
        var rows = new List<string> { "file,label,font" };
        for (int i = 0; i < Digits + 2; i++)
        {
            int label = i < Digits ? TestData.Mnist.Test.Labels[i] : i - Digits;
            string name = subfolders ? $"{label}/{i:D3}.png" : $"{i:D3}.png";
            string path = folder.File(name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (i < Digits)
                ImageEncoder.SavePng(path, new GrayImage(28, 28, TestData.Mnist.Test.Image(i).ToArray()));
            else if (i == Digits)
                ImageEncoder.SavePng(path, new GrayImage(100, 80, Enumerable.Repeat((byte)235, 8000).ToArray()));
            else
                File.WriteAllText(path, "not a picture");
            rows.Add($"{name},{label},{(i % 2 == 0 ? "even" : "odd")}");
        }
        if (!subfolders)
            File.WriteAllLines(folder.File("labels.csv"), rows);
    }

    [Fact]
    public void Pictures_without_a_digit_count_as_wrong_and_are_listed()
    {
        using var folder = new TempFolder();
        WriteFolder(folder, subfolders: false);
        var images = ImageFolder.Read(folder.Path, Model.Value.Labels);

        var result = ImageFolderEvaluator.Evaluate(Model.Value, images);

        Assert.Equal(Digits + 2, result.Count);
        Assert.Equal(Digits, result.Scored.Count);
        Assert.Equal((double)result.Correct / (Digits + 2), result.Accuracy);
        Assert.Equal(result.Scored.Accuracy * Digits / (Digits + 2), result.Accuracy, 12);
        Assert.Equal(new Dictionary<string, int> { ["ok"] = Digits, ["more-than-one-digit"] = 0, ["no-digit"] = 1, ["unreadable"] = 1 }, result.Statuses);
        Assert.Equal([("030.png", "no-digit"), ("031.png", "unreadable")], result.Unscored.Select(u => (u.File, u.Status)));
        Assert.Equal([-1, -1], result.Predicted[Digits..]);
        Assert.Equal(Digits + 2, result.PerClass.Sum(c => c.Support));
        Assert.Null(result.GroupColumn);
        Assert.Empty(result.Groups);
    }

    [Fact]
    public void The_scored_pictures_get_what_the_model_gives_their_normalized_images()
    {
        using var folder = new TempFolder();
        WriteFolder(folder, subfolders: false);
        var images = ImageFolder.Read(folder.Path, Model.Value.Labels);

        var result = ImageFolderEvaluator.Evaluate(Model.Value, images);

        var pixels = images.Files.Take(Digits).SelectMany(f => MnistNormalizer.Normalize(ImageDecoder.Decode(f.Path))).ToArray();
        var direct = Evaluator.Evaluate(Model.Value, pixels, TestData.Mnist.Test.Labels, Digits);
        Assert.Equal(direct.Predicted, result.Predicted[..Digits]);
        Assert.Equal(direct.LogLoss, result.Scored.LogLoss);
        Assert.True(result.Scored.Accuracy > 0.7, $"accuracy {result.Scored.Accuracy}");
    }

    [Fact]
    public void Accuracy_is_given_per_value_of_a_column()
    {
        using var folder = new TempFolder();
        WriteFolder(folder, subfolders: false);
        var images = ImageFolder.Read(folder.Path, Model.Value.Labels);

        var result = ImageFolderEvaluator.Evaluate(Model.Value, images, groupColumn: "font");

        Assert.Equal("font", result.GroupColumn);
        Assert.Equal(["even", "odd"], result.Groups.Select(g => g.Group));
        Assert.Equal([16, 16], result.Groups.Select(g => g.Count));
        Assert.Equal(result.Correct, result.Groups.Sum(g => (int)Math.Round(g.Accuracy * g.Count)));
        Assert.Throws<ArgumentException>(() => ImageFolderEvaluator.Evaluate(Model.Value, images, groupColumn: "size"));
    }

    [Fact]
    public void A_subfolder_per_label_scores_the_same_as_labels_csv()
    {
        using var flat = new TempFolder();
        using var nested = new TempFolder();
        WriteFolder(flat, subfolders: false);
        WriteFolder(nested, subfolders: true);

        var fromCsv = ImageFolderEvaluator.Evaluate(Model.Value, ImageFolder.Read(flat.Path, Model.Value.Labels));
        var fromFolders = ImageFolderEvaluator.Evaluate(Model.Value, ImageFolder.Read(nested.Path, Model.Value.Labels));

        Assert.Equal(fromCsv.Count, fromFolders.Count);
        Assert.Equal(fromCsv.Correct, fromFolders.Correct);
        Assert.Equal(fromCsv.Statuses, fromFolders.Statuses);
    }
}
