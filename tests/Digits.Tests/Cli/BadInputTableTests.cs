using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Digits.Fuzzing;
using Digits.Imaging;
using Digits.Persistence;
using Digits.Tests.Data;
using Digits.Tests.Imaging;

namespace Digits.Tests.Cli;

/// <summary>
/// Every command against a table of bad inputs, as a new user would type them: each gets its exit code, exactly one
/// line on stderr that names the file or flag at fault, no stack trace and no <c>internal</c>, and no input file is
/// changed. New commands add their rows here. With DIGITS_BAD_INPUT_TABLE=FILE set, the rows as they ran are written
/// to FILE as a Markdown table (the one in docs/reliability.md).
/// </summary>
public class BadInputTableTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    /// <summary>Arguments with placeholders: {data} the MNIST folder, {train-images} its training images file,
    /// {model} a small trained model, {model-link} a symlink to it, {photo} a photo of a digit, {tmp} a scratch
    /// folder, {text} a text file, {cold-model} the model with a calibration temperature of 0, {labelled} a folder with
    /// the photo and a labels.csv, {bad-labels} one whose labels.csv has a bad label on line 3, {no-images} an empty
    /// folder; the exit code; and text the one error line must contain.</summary>
    public static readonly TheoryData<string, int, string> Cases = new()
    {
        // Never destroy a user's file: an output that is an input is a usage error before any work.
        { "export {model} --onnx {model}", 2, "--onnx: {model} is also an input" },
        { "export {model} --onnx {model-link}", 2, "--onnx: {model-link} is also an input" },
        { "evaluate {model} --confusion {model} --data {data}", 2, "--confusion: {model} is also an input" },
        { "evaluate {model} --errors {model-link} --data {data}", 2, "--errors: {model-link} is also an input" },
        { "evaluate {model} --confusion {tmp}/a.png --errors {tmp}/a.png --data {data}", 2, "--errors: {tmp}/a.png is also given as --confusion" },
        { "evaluate {model} --reliability {model} --data {data}", 2, "--reliability: {model} is also an input" },
        { "evaluate {model} --confusion {tmp}/r.png --reliability {tmp}/r.png --data {data}", 2, "--reliability: {tmp}/r.png is also given as --confusion" },
        { "preprocess {photo} --out {photo}", 2, "--out: {photo} is also an input" },
        { "train logreg --data {data} --subset 100 --out {train-images}", 2, "--out: {train-images} is also an input" },
        { "tune logreg --data {data} --subset 100 --out {train-images}", 2, "--out: {train-images} is also an input" },
        { "data show --data {data} --out {train-images}", 2, "--out: {train-images} is also an input" },
        { "train cnn-fast --data {data} --subset 100 --checkpoint {tmp}/m.safetensors --out {tmp}/m.safetensors", 2, "--checkpoint: {tmp}/m.safetensors is also given as --out" },
        { "train cnn-fast --data {data} --subset 100 --ensemble 2 --checkpoint {tmp}/ck.safetensors --out {tmp}/ck.m2.safetensors", 2, "--checkpoint: {tmp}/ck.m2.safetensors is also given as --out" },
        { "train cnn-fast --data {data} --subset 100 --checkpoint {tmp}/m.interrupted.safetensors --out {tmp}/m.safetensors", 2, "--checkpoint: {tmp}/m.interrupted.safetensors is also given as --out (its interrupted copy)" },
        // Outputs are checked before the work: folders, unwritable places, empty names.
        { "train logreg --data {data} --subset 100 --out {tmp}", 2, "--out: {tmp} is a directory" },
        { "export {model} --onnx {tmp}", 2, "--onnx: {tmp} is a directory" },
        { "train logreg --data {data} --subset 100 --out /proc/m.safetensors", 1, "/proc/m.safetensors: cannot write in /proc" },
        { "train logreg --data {data} --subset 100 --out {text}/m.safetensors", 1, "{text} is a file, not a folder" },
        { "train logreg --data {data} --subset 100 --out ''", 2, "--out: is empty" },
        { "evaluate {model} --data {data} --confusion ''", 2, "--confusion: is empty" },
        { "evaluate {model} --data {data} --reliability {tmp}", 2, "--reliability: {tmp} is a directory" },
        { "report --data {data} --out {text}", 2, "--out: {text} is a file; give a folder for the report" },
        { "report --data {data} --out /proc/report", 1, "/proc/report/results.json: cannot write in /proc/report" },
        { "report --data {data} --out {text}/report", 1, "{text} is a file, not a folder" },
        { "report --data {data} --out ''", 2, "--out: is empty; give a folder for the report" },
        { "report --data {data} --scale 0", 2, "--scale: must be 0.01 to 1, got 0" },
        { "report --data {data} --scale 2", 2, "--scale: must be 0.01 to 1, got 2" },
        { "report --data {data} --reuse {tmp}", 2, "--reuse: needs --full: only the full report has an ensemble row" },
        { "report --data {data} --full --reuse {tmp}/nowhere --out {tmp}/r", 2, "--reuse: {tmp}/nowhere does not exist" },
        { "report --data {data} --full --reuse {text} --out {tmp}/r", 2, "--reuse: {text} is a file, expected a folder of model files" },
        { "report --fll", 2, "--fll: unknown option (did you mean '--full'?)" },
        // Inputs: empty, folders, missing, not what they claim to be.
        { "evaluate ''", 2, "MODEL: the path is empty" },
        { "evaluate {tmp}", 1, "{tmp}: is a directory, expected a file" },
        { "model info {tmp}", 1, "{tmp}: is a directory, expected a file" },
        { "model info {tmp}/none.safetensors", 1, "{tmp}/none.safetensors: file not found" },
        { "model info {text}", 1, "{text}:" },
        { "export {text} --onnx {tmp}/m.onnx", 1, "{text}:" },
        { "preprocess '' --out {tmp}/x.png", 2, "IMAGE: the path is empty" },
        { "preprocess {tmp} --out {tmp}/x.png", 1, "{tmp}: is a directory, expected a file" },
        { "preprocess {text} --out {tmp}/x.png", 1, "{text}: not a decodable image" },
        { "data info --data {text}", 2, "--data: {text} is a file, expected a folder" },
        { "data info --data ''", 2, "--data:" },
        { "data info --dataset foo --data {data}", 2, "--dataset: unknown dataset 'foo'" },
        { "evaluate {model} --data {small-test}", 1, "t10k-images-idx3-ubyte: images are 20x20, but MNIST images are 28x28" },
        { "train logreg --data {small-test} --subset 100 --out {tmp}/m.safetensors", 1, "t10k-images-idx3-ubyte: images are 20x20, but MNIST images are 28x28" },
        { "preprocess {speck} --out {tmp}/x.png", 1, "speck.png: no digit found: only a speck of ink" },
        { "preprocess {noise} --out {tmp}/x.png", 1, "noise.png: no digit found: looks like noise" },
        { "preprocess {two-digits} --out {tmp}/x.png", 1, "forty-two.png: more than one digit found" },
        // Hostile model files are refused before anything large is allocated.
        { "model info {wide}", 1, "{wide}: architecture declares a Linear layer whose 'weight' is [2000000,32]" },
        { "model info {wrong-kind}", 1, "{wrong-kind}:" },
        { "evaluate {nan-model} --data {data} --json", 1, "{nan-model}: tensor 'weight' holds NaN or infinite values" },
        { "evaluate {cold-model} --data {data}", 1, "{cold-model}: __metadata__ 'calibration' temperature is 0, expected 0.05 to 20" },
        { "export {cold-model} --onnx {tmp}/c.onnx", 1, "{cold-model}: __metadata__ 'calibration' temperature is 0, expected 0.05 to 20" },
        // Never throw work away: a diverging run stops, says where and what to try.
        { "train cnn-fast --data {data} --subset 600 --epochs 1 --lr 1e30 --out {tmp}/d.safetensors", 1, "training: the loss became NaN in epoch 1, batch 2 (learning rate 4.63e29); try a lower learning rate (--lr, now 1e30)" },
        // Words a person can act on: the real flag, no .NET type names, the nearest command.
        { "trian", 2, "trian: unknown command (did you mean 'train'?)" },
        { "data", 2, "digits data: needs a command: info, verify, fetch, show" },
        { "evaluate", 2, "digits evaluate: needs MODEL" },
        { "train cnn-fast --verbos", 2, "--verbos: unknown option (did you mean '--verbose'?)" },
        { "train cnn-fast --batchsize 3", 2, "--batchsize: unknown option (did you mean '--batch-size'?)" },
        { "train cnn --stroke 9 --data {data}", 2, "--stroke: must be 0 to 8 pixels, got 9" },
        { "train cnn --hollow 1.5 --data {data}", 2, "--hollow: must be a share from 0 to 1, got 1.5" },
        { "train cnn-fast --data {data} --batch-size 0", 2, "--batch-size: must be at least 1, got 0" },
        { "train cnn-fast --data {data} --epochs 0", 2, "--epochs: must be at least 1, got 0" },
        { "train cnn-fast --epochs abc", 2, "--epochs: 'abc' is not a whole number" },
        { "train logreg --C abc", 2, "--C: 'abc' is not a number" },
        { "train cnn-fast --seed -1", 2, "--seed: '-1' is not a whole number of 0 or more" },
        { "preprocess {photo} --out {tmp}/x.png --ink sideways", 2, "--ink: 'sideways' is not one of auto, dark, light" },
        { "data show --data {data} --split validation", 2, "--split: 'validation' is not one of train, test" },
        { "train svm --data {data} --subset 100 --cache-mb -5", 2, "--cache-mb: must not be negative, got -5" },
        { "train cnn-fast --data {data} --subset 100 --checkpoint {model} --resume --out {tmp}/q.safetensors", 1, "{model}: is a 'logreg' model, not a 'cnn' one" },
        { "train cnn-fast --data {data} --subset 100 --checkpoint {text} --resume --out {tmp}/q.safetensors", 1, "{text}: header length says" },
        { "train logreg --data {data} --C -1", 2, "--C: must be positive and finite" },
        { "train svm --data {data} --gamma 0", 2, "--gamma: must be positive and finite" },
        { "train logreg --data {data} --subset 60001", 2, "--subset: must be at most 60,000" },
        { "train logreg --data {data} --subset 5", 2, "--subset: must be at least 20" },
        { "train logreg --data {data} --validation 0.95", 2, "--validation: must be in [0, 0.9)" },
        { "train cnn-fast --data {data} --resume", 2, "--resume: needs --checkpoint FILE" },
        { "tune logreg --data {data} --grid C=-1,1", 2, "--grid: C=-1: must be positive and finite" },
        { "tune svm --data {data} --grid gamma=0", 2, "--grid: gamma=0: must be positive and finite" },
        { "tune svm --data {data} --grid C=abc", 2, "--grid: 'abc' in C is not a number" },
        { "tune logreg --data {data} --grid gamma=1", 2, "--grid: unknown parameter 'gamma'" },
        { "tune logreg --data {data} --folds 1", 2, "--folds: must be 2 to 20, got 1" },
        { "data show --data {data} --count 0", 2, "--count: must be 1 to 1024, got 0" },
        { "data show --data {data} --count 1024 --columns 1024 --scale 8", 2, "megapixels" },
        { "data show --data {data} --from 10000", 2, "--from: must be below 10000" },
        // Synthetic sets and labelled image folders.
        { "data synth-scans --data {data} --count 5", 2, "Option '--out' is required" },
        { "data synth-scans --data {data} --count 0 --out {tmp}/s", 2, "--count: must be 1 to 1,000,000, got 0" },
        { "data synth-scans --data {data} --split train --out {tmp}/s", 2, "--split: 'train' is not one of validation, test" },
        { "data synth-scans --data {data} --count 5 --out {data}", 2, "--out: {data} is not empty" },
        { "data synth-scans --data {data} --count 5 --out {text}", 2, "--out: {text} is a file" },
        { "data synth-fonts --count 0 --out {tmp}/f", 2, "--count: must be 1 to 1,000,000, got 0" },
        { "data synth-fonts --count 5", 2, "Option '--out' is required" },
        { "evaluate {model} --images {bad-labels}", 1, "{bad-labels}/labels.csv: line 3: label 'x' is not one of 0, 1, 2, 3, 4, 5, 6, 7, 8, 9" },
        { "evaluate {model} --images {no-images}", 1, "{no-images}: holds neither labels.csv nor a subfolder per label" },
        { "evaluate {model} --images {tmp}/nowhere", 1, "{tmp}/nowhere: folder not found" },
        { "evaluate {model} --images {text}", 1, "{text}: is a file, expected a folder" },
        { "evaluate {model} --images {labelled} --confusion {labelled}/labels.csv", 2, "--confusion: {labelled}/labels.csv is also an input" },
        { "evaluate {model} --images {labelled} --group-by size", 2, "--group-by: 'size' is not a column of {labelled}/labels.csv" },
        { "evaluate {model} --images {labelled} --errors {tmp}/e.png", 2, "--errors: draws the mistakes of MNIST test only" },
        { "evaluate {model} --data {data} --group-by font", 2, "--group-by: needs --images DIR" },
        { "data show --images {no-images} --out {tmp}/g.png", 1, "{no-images}: holds neither labels.csv nor a subfolder per label" },
        // Predicting: inputs checked before the model is loaded, outputs before any picture is read.
        { "predict", 2, "digits predict: needs IMAGES" },
        { "predict ''", 2, "IMAGE: the path is empty" },
        { "predict {tmp}/none.png", 1, "{tmp}/none.png: file not found" },
        { "predict {photo} {tmp}/none.png", 1, "{tmp}/none.png: file not found" },
        { "predict {no-images}", 1, "{no-images}: holds no pictures (.png, .jpg, .jpeg, .bmp, .gif, .webp)" },
        { "predict {photo} --top 0", 2, "--top: must be 1 to 10, got 0" },
        { "predict {photo} --top 11", 2, "--top: must be 1 to 10, got 11" },
        { "predict {photo} --top abc", 2, "--top: 'abc' is not a whole number" },
        { "predict {photo} --min-confidence 2", 2, "--min-confidence: must be 0 to 1, got 2" },
        { "predict {photo} --min-confidence abc", 2, "--min-confidence: 'abc' is not a number" },
        { "predict {photo} --csv {photo}", 2, "--csv: {photo} is also an input" },
        { "predict {labelled} --csv {labelled}/photo.jpg", 2, "--csv: {labelled}/photo.jpg is also an input" },
        { "predict {photo} --csv {tmp}", 2, "--csv: {tmp} is a directory" },
        { "predict {photo} --csv /proc/answers.csv", 1, "/proc/answers.csv: cannot write in /proc" },
        { "predict {photo} --explain {photo}", 2, "--explain: {photo} is also an input" },
        { "predict {photo} --csv {tmp}/a.csv --explain {tmp}/a.csv", 2, "--explain: {tmp}/a.csv is also given as --csv" },
        { "predict {photo} {photo} --explain {tmp}/e.png", 2, "--explain: draws the map of one picture file; got 2" },
        { "predict {labelled} --explain {tmp}/e.png", 2, "--explain: draws the map of one picture file; {labelled} is a folder" },
        { "predict {photo} --model {text}", 1, "{text}:" },
        { "predict {photo} --model {tmp}/none.safetensors", 1, "{tmp}/none.safetensors: file not found" },
        { "predict {photo} --model {tmp}", 1, "{tmp}: is a directory, expected a file" },
        { "predict {photo} --model {cold-model}", 1, "{cold-model}: __metadata__ 'calibration' temperature is 0, expected 0.05 to 20" },
        { "model threshold {model} --images {labelled}", 2, "Option '--out' is required" },
        { "model threshold {model} --out {tmp}/t.safetensors", 2, "Option '--images' is required" },
        { "model threshold {model} --images {labelled} --out {model}", 2, "--out: {model} is also an input" },
        { "model threshold {model} --images {labelled} --out {model-link}", 2, "--out: {model-link} is also an input" },
        { "model threshold {model} --images {labelled} --out {labelled}/labels.csv", 2, "--out: {labelled}/labels.csv is also an input" },
        { "model threshold {model} --images {labelled} --out {tmp}", 2, "--out: {tmp} is a directory" },
        { "model threshold {model} --images {labelled} --precision 0 --out {tmp}/t.safetensors", 2, "--precision: must be above 0 and at most 1, got 0" },
        { "model threshold {model} --images {labelled} --precision 1.5 --out {tmp}/t.safetensors", 2, "--precision: must be above 0 and at most 1, got 1.5" },
        { "model threshold {text} --images {labelled} --out {tmp}/t.safetensors", 1, "{text}:" },
        { "model threshold {model} --images {no-images} --out {tmp}/t.safetensors", 1, "{no-images}: holds neither labels.csv nor a subfolder per label" },
        { "model threshold {model} --images {bad-labels} --out {tmp}/t.safetensors", 1, "{bad-labels}/labels.csv: line 3: label 'x' is not one of 0, 1, 2, 3, 4, 5, 6, 7, 8, 9" },
        { "model threshold {model} --images {tmp}/nowhere --out {tmp}/t.safetensors", 1, "{tmp}/nowhere: folder not found" },
        { "serve --port 70000", 2, "--port: must be 0 to 65535, got 70000" },
        { "serve --port abc", 2, "--port: 'abc' is not a whole number" },
        { "serve --host nowhere", 2, "--host: must be an IP address such as 127.0.0.1 or 0.0.0.0 (or localhost), got nowhere" },
        { "serve --rate-limit fast", 2, "--rate-limit: must be a whole number of requests per second such as 20/s, got fast" },
        { "serve --rate-limit 0/s", 2, "--rate-limit: must be a whole number of requests per second such as 20/s, got 0/s" },
        { "serve --model {tmp}/none.safetensors", 1, "{tmp}/none.safetensors: file not found" },
        { "serve --model {text}", 1, "{text}:" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_gets_one_clear_line_and_the_right_exit_code(string command, int exitCode, string message)
    {
        string[] args = fixture.Arguments(command);
        var before = fixture.InputHashes();
        var r = CliRunner.Run(args);
        string expected = fixture.Expand(message);
        fixture.Record(command, r);

        Assert.True(exitCode == r.ExitCode, $"exit {r.ExitCode}, expected {exitCode}: {r.Stderr}");
        string[] lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, "expected one line on stderr, got:\n" + r.Stderr);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("internal", lines[0]);
        Assert.DoesNotContain("System.", lines[0]);
        Assert.DoesNotContain("(Parameter", lines[0]);
        Assert.Equal("", r.Stdout);
        Assert.Equal(before, fixture.InputHashes());
    }
}

/// <summary>The files the bad-input table refers to, made once: a small logreg model and broken copies of it, a
/// photo and pictures with no digit or two, a text file, and MNIST with its test images cut to 20×20.</summary>
public sealed class BadInputFixture : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly Dictionary<string, string> rows = [];

    public BadInputFixture()
    {
        Model = folder.File("model.safetensors");
        var r = CliRunner.Run("train", "logreg", "--data", TestData.MnistDirectory, "--subset", "200", "--out", Model);
        if (r.ExitCode != 0)
            throw new InvalidOperationException("could not train the fixture model: " + r.Stderr);
        ModelLink = folder.File("model-link.safetensors");
        File.CreateSymbolicLink(ModelLink, Model);
        Photo = folder.File("photo.jpg");
        File.Copy(Path.Combine(TestData.RepoRoot, "samples", "photo-3.jpg"), Photo);
        Text = folder.File("notes.txt");
        File.WriteAllText(Text, "not a model, not an image, not a folder\n");
        Scratch = folder.File("scratch");
        Directory.CreateDirectory(Scratch);
        TrainImages = Directory.GetFiles(TestData.MnistDirectory, "train-images*").Single();

        Speck = folder.File("speck.png");
        var paper = Enumerable.Repeat((byte)240, 400 * 300).ToArray();
        for (int y = 100; y < 105; y++)
            paper.AsSpan(y * 400 + 200, 4).Fill(30);
        ImageEncoder.SavePng(Speck, new GrayImage(400, 300, paper));
        Noise = folder.File("noise.png");
        var random = new Random(7);
        var noise = new byte[300 * 300];
        random.NextBytes(noise);
        ImageEncoder.SavePng(Noise, new GrayImage(300, 300, noise));
        TwoDigits = folder.File("forty-two.png");
        ImageEncoder.SavePng(TwoDigits, SyntheticDigits.InARow([4, 2]));

        var cnn = SafeTensors.Read(ModelSeeds.All()[3], "seed");
        var architecture = JsonNode.Parse(cnn.Metadata["architecture"])!;
        architecture["layers"]![5]!["out"] = 2_000_000;
        Wide = folder.File("wide.safetensors");
        new SafeTensors(cnn.Tensors, new Dictionary<string, string>(cnn.Metadata) { ["architecture"] = architecture.ToJsonString() }).Write(Wide);
        var logreg = SafeTensors.Read(Model);
        WrongKind = folder.File("wrong-kind.safetensors");
        new SafeTensors(logreg.Tensors, new Dictionary<string, string>(logreg.Metadata) { ["kind"] = "svm" }).Write(WrongKind);
        NanModel = folder.File("nan.safetensors");
        new SafeTensors(logreg.Tensors.Select(t => t.Name == "weight" ? TensorData.FromFloats("weight", Enumerable.Repeat(float.NaN, (int)t.ElementCount).ToArray(), [.. t.Shape]) : t),
            logreg.Metadata).Write(NanModel);
        ColdModel = folder.File("cold.safetensors");
        new SafeTensors(logreg.Tensors, new Dictionary<string, string>(logreg.Metadata)
        {
            ["calibration"] = "{\"temperature\": 0, \"ece_before\": 0.02, \"ece_after\": 0.01}",
        }).Write(ColdModel);
        smallTest = new EditedMnistFolder().WithTestImagesCropped(20);

        Labelled = folder.File("labelled");
        Directory.CreateDirectory(Labelled);
        File.Copy(Photo, Path.Combine(Labelled, "photo.jpg"));
        File.WriteAllText(Path.Combine(Labelled, "labels.csv"), "file,label,font\nphoto.jpg,3,none\n");
        BadLabels = folder.File("bad-labels");
        Directory.CreateDirectory(BadLabels);
        File.Copy(Photo, Path.Combine(BadLabels, "photo.jpg"));
        File.WriteAllText(Path.Combine(BadLabels, "labels.csv"), "file,label\nphoto.jpg,3\nphoto.jpg,x\n");
        NoImages = folder.File("no-images");
        Directory.CreateDirectory(NoImages);
    }

    /// <summary>A labelled folder: the photo and a labels.csv with a font column.</summary>
    public string Labelled { get; }

    /// <summary>A folder whose labels.csv has the label 'x' on line 3.</summary>
    public string BadLabels { get; }

    /// <summary>An empty folder.</summary>
    public string NoImages { get; }

    private readonly EditedMnistFolder smallTest;

    public string Speck { get; }
    public string Noise { get; }
    public string TwoDigits { get; }
    public string Wide { get; }
    public string WrongKind { get; }
    public string NanModel { get; }

    /// <summary>The fixture model with a calibration whose temperature is 0.</summary>
    public string ColdModel { get; }

    public string Model { get; }
    public string ModelLink { get; }
    public string Photo { get; }
    public string Text { get; }
    public string Scratch { get; }
    public string TrainImages { get; }

    public string Expand(string text) => text
        .Replace("{labelled}", Labelled).Replace("{bad-labels}", BadLabels).Replace("{no-images}", NoImages)
        .Replace("{small-test}", smallTest.Path).Replace("{speck}", Speck).Replace("{noise}", Noise).Replace("{two-digits}", TwoDigits)
        .Replace("{wide}", Wide).Replace("{wrong-kind}", WrongKind).Replace("{nan-model}", NanModel).Replace("{cold-model}", ColdModel)
        .Replace("{data}", TestData.MnistDirectory).Replace("{train-images}", TrainImages)
        .Replace("{model-link}", ModelLink).Replace("{model}", Model).Replace("{photo}", Photo)
        .Replace("{text}", Text).Replace("{tmp}", Scratch);

    /// <summary>Splits a table row into arguments; <c>''</c> is an empty argument.</summary>
    public string[] Arguments(string command) =>
        [.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => a == "''" ? "" : Expand(a))];

    /// <summary>SHA-256 of every input a row may name, to show that none was touched.</summary>
    public string InputHashes() => string.Join(",", new[] { Model, Photo, Text, TrainImages, Speck, Noise, TwoDigits, Wide, WrongKind, NanModel, ColdModel,
            Path.Combine(Labelled, "labels.csv"), Path.Combine(BadLabels, "labels.csv") }
        .Select(f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))));

    /// <summary>Puts the placeholders back in place of this run's temp paths, for a table that reads the same every run.</summary>
    private string Collapse(string text) => text
        .Replace(Labelled, "{labelled}").Replace(BadLabels, "{bad-labels}").Replace(NoImages, "{no-images}")
        .Replace(smallTest.Path, "{small-test}").Replace(Speck, "{speck}").Replace(Noise, "{noise}").Replace(TwoDigits, "{two-digits}")
        .Replace(Wide, "{wide}").Replace(WrongKind, "{wrong-kind}").Replace(NanModel, "{nan-model}").Replace(ColdModel, "{cold-model}")
        .Replace(ModelLink, "{model-link}").Replace(Model, "{model}").Replace(Photo, "{photo}").Replace(Text, "{text}")
        .Replace(Scratch, "{tmp}").Replace(TrainImages, "{train-images}").Replace(TestData.MnistDirectory, "{data}");

    internal void Record(string command, CliRunner.Result r)
    {
        string Cell(string s) => Collapse(s).Replace("|", "\\|").Trim();
        lock (rows)
            rows[command] = $"| `digits {Cell(command)}` | {r.ExitCode} | `{Cell(r.Stderr.ReplaceLineEndings(" "))}` |";
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("DIGITS_BAD_INPUT_TABLE") is { Length: > 0 } path)
        {
            var table = new StringBuilder("| input | exit | message |\n|---|---|---|\n");
            foreach (var row in BadInputTableTests.Cases)
            {
                if (rows.TryGetValue((string)row[0], out string? line))
                    table.AppendLine(line);
            }
            File.WriteAllText(path, table.ToString());
        }
        smallTest.Dispose();
        folder.Dispose();
    }
}
