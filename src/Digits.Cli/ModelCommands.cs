using System.CommandLine;
using System.Text.Json;
using Digits.Neural;
using Digits.Persistence;
using Spectre.Console;

namespace Digits.Cli;

/// <summary><c>digits model info MODEL</c> (a Keras-style summary and the metadata) and <c>digits export MODEL --onnx OUT</c>.</summary>
internal static class ModelCommands
{
    public static Command CreateModel()
    {
        var model = new Argument<string>("model") { Description = "A model file (.safetensors)" };
        var info = new Command("info", "Layers with output shapes and parameter counts, and everything the file records about how it was made");
        info.Arguments.Add(model);
        info.Options.Add(GlobalOptions.Json);
        info.SetAction(parsed =>
        {
            var terminal = new Terminal(parsed.GetValue(GlobalOptions.Verbose));
            string path = InputFile.Check(parsed.GetValue(model)!, "MODEL");
            var file = ModelFile.Load(path);
            var loaded = ModelLoader.FromModelFile(file);
            var meta = file.Metadata;
            var layers = loaded.Layers();
            long parameters = file.File.Tensors.Where(t => t.DType == TensorDType.F32).Sum(t => t.ElementCount);
            if (parsed.GetValue(GlobalOptions.Json))
            {
                JsonOutput.Print(new
                {
                    model = Path.GetFullPath(path),
                    kind = meta.Kind,
                    recipe = meta.Recipe,
                    labels = meta.Labels,
                    layers = layers?.Select(l => new { name = l.Name, output_shape = l.OutputShape, parameters = l.Parameters }),
                    stored_values = parameters,
                    preprocessing = JsonDocument.Parse(meta.Preprocessing.ToJson()).RootElement,
                    architecture = JsonDocument.Parse(meta.Architecture).RootElement,
                    metrics = JsonDocument.Parse(meta.Metrics).RootElement,
                    command = meta.Command,
                    seed = meta.Seed,
                    train_data_sha256 = meta.TrainDataSha256,
                    parent = meta.Parent,
                    calibration = meta.Calibration is { } c ? JsonDocument.Parse(c.ToJson()).RootElement : (JsonElement?)null,
                    min_confidence = meta.MinConfidence,
                    min_confidence_basis = meta.MinConfidenceBasis is { } basis ? JsonDocument.Parse(basis).RootElement : (JsonElement?)null,
                    tensors = file.File.Tensors.Select(t => new { name = t.Name, dtype = t.DType.HeaderName(), shape = t.Shape }),
                });
                return CommandRunner.Ok;
            }
            var o = terminal.Out;
            o.MarkupLineInterpolated($"[bold]{path}[/]: {meta.Kind}{(meta.Recipe is null ? "" : $" ({meta.Recipe})")}, labels {string.Join(" ", meta.Labels)}");
            if (layers is not null)
            {
                var table = new Table().Border(TableBorder.Rounded).AddColumn("layer").AddColumn("output shape").AddColumn(new TableColumn("params").RightAligned());
                foreach (var l in layers)
                    table.AddRow(Markup.Escape(l.Name), Markup.Escape("(None, " + string.Join(", ", l.OutputShape) + ")"), l.Parameters.ToString("N0"));
                o.Write(table);
                o.MarkupLineInterpolated($"total parameters: {layers.Sum(l => l.Parameters):N0}");
            }
            else
            {
                var table = new Table().Border(TableBorder.Rounded).AddColumn("tensor").AddColumn("dtype").AddColumn("shape");
                foreach (var t in file.File.Tensors)
                    table.AddRow(Markup.Escape(t.Name), t.DType.HeaderName(), Markup.Escape("[" + string.Join(", ", t.Shape) + "]"));
                o.Write(table);
            }
            // Plain lines rather than a grid: a grid pads every row to the widest, and piped output has no width limit.
            var rows = new List<(string Key, string Value)>
            {
                ("preprocessing", meta.Preprocessing.ToJson()), ("metrics", meta.Metrics), ("command", meta.Command),
                ("seed", meta.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("train data sha256", meta.TrainDataSha256),
            };
            if (meta.Parent is not null)
                rows.Add(("parent", meta.Parent));
            if (meta.Calibration is not null)
                rows.Add(("calibration", meta.Calibration.ToJson()));
            if (meta.MinConfidence is { } minConfidence)
                rows.Add(("min confidence", minConfidence.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + (meta.MinConfidenceBasis is { } chosen ? " " + chosen : "")));
            foreach (var (key, value) in rows)
                o.WriteLine($"{key,-18} {value}");
            return CommandRunner.Ok;
        });

        var group = new Command("model", "Inspect model files and choose their confidence threshold");
        group.Subcommands.Add(info);
        group.Subcommands.Add(ThresholdCommand.Create());
        return group;
    }

    public static Command CreateExport()
    {
        var model = new Argument<string>("model") { Description = "A model file (.safetensors)" };
        var onnx = new Option<string>("--onnx") { Description = "Where to write the ONNX model (opset 13; input [N,1,28,28] floats in 0..1, outputs logits and probabilities)", Required = true, HelpName = "OUT.onnx" };
        var cmd = new Command("export", "Export a model to ONNX, to run it in ONNX Runtime or any other ONNX engine");
        cmd.Arguments.Add(model);
        cmd.Options.Add(onnx);
        cmd.Options.Add(GlobalOptions.Json);
        cmd.SetAction(parsed =>
        {
            string path = InputFile.Check(parsed.GetValue(model)!, "MODEL");
            string output = parsed.GetValue(onnx)!;
            OutputPath.Check(output, "--onnx", [path]);
            var loaded = ModelLoader.Load(path);
            OnnxExport.Save(loaded, output, path);
            long bytes = new FileInfo(output).Length;
            Terminal.Wrote(output, $"ONNX, {bytes / 1024.0:F0} KiB");
            if (parsed.GetValue(GlobalOptions.Json))
                JsonOutput.Print(new { model = Path.GetFullPath(path), onnx = Path.GetFullPath(output), kind = loaded.Kind, bytes, temperature = (loaded as CalibratedModel)?.Temperature });
            return CommandRunner.Ok;
        });
        return cmd;
    }
}
