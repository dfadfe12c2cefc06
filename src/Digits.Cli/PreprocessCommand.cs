using System.CommandLine;
using Digits.Imaging;

namespace Digits.Cli;

/// <summary><c>digits preprocess IMAGE --out OUT.png</c>: shows exactly the 28×28 image a model will see.</summary>
internal static class PreprocessCommand
{
    /// <summary>How much the preview enlarges each of the 28×28 pixels.</summary>
    private const int PreviewScale = 10;

    public static Command Create()
    {
        var image = new Argument<string>("image") { Description = "A photo or scan of one digit (PNG, JPEG, BMP, GIF or WebP)" };
        var output = new Option<string>("--out", "-o") { Description = "Where to write the 28×28 grayscale PNG (white ink on black, as in MNIST)", Required = true, HelpName = "OUT.png" };
        var preview = new Option<bool>("--preview") { Description = $"Also write OUT.preview.png, enlarged {PreviewScale}× for a person to look at" };
        var deskew = new Option<bool>("--deskew") { Description = "Straighten slanted digits (moment deskewing), as models trained with --deskew see them" };
        var inkDark = new Option<string>("--ink") { Description = "Ink polarity: auto (detect), dark (dark ink on light paper) or light", DefaultValueFactory = _ => "auto", HelpName = "auto|dark|light" };
        inkDark.AcceptOnlyFromAmong("auto", "dark", "light");

        var cmd = new Command("preprocess", "Turn a photo of one digit into the centred 28×28 MNIST-style image a model sees");
        cmd.Arguments.Add(image);
        cmd.Options.Add(output);
        cmd.Options.Add(preview);
        cmd.Options.Add(deskew);
        cmd.Options.Add(inkDark);
        cmd.Options.Add(GlobalOptions.Json);
        cmd.SetAction(parsed =>
        {
            string input = InputFile.Check(parsed.GetValue(image)!, "IMAGE");
            string outPath = parsed.GetValue(output)!;
            string? previewPath = parsed.GetValue(preview) ? PreviewPath(outPath) : null;
            OutputPath.CheckAll([(outPath, "--out"), (previewPath, "--out (its preview)")], [input]);
            bool? inkIsDark = parsed.GetValue(inkDark) switch { "dark" => true, "light" => false, _ => null };
            var options = new NormalizeOptions(Deskew: parsed.GetValue(deskew), InkIsDark: inkIsDark);

            var decoded = ImageDecoder.Decode(input);
            byte[] pixels = MnistNormalizer.Normalize(decoded, options, Path.GetFileName(input));
            var digit = new GrayImage(MnistNormalizer.Size, MnistNormalizer.Size, pixels);
            ImageEncoder.SavePng(outPath, digit);
            Terminal.Wrote(outPath, "28x28");
            if (previewPath is not null)
            {
                ImageEncoder.SavePng(previewPath, digit, PreviewScale);
                Terminal.Wrote(previewPath, $"preview, {PreviewScale}x");
            }

            var (cx, cy) = MnistNormalizer.CentreOfMass<byte>(pixels, MnistNormalizer.Size, MnistNormalizer.Size);
            if (parsed.GetValue(GlobalOptions.Json))
            {
                JsonOutput.Print(new
                {
                    file = input,
                    @out = Path.GetFullPath(outPath),
                    preview = previewPath is null ? null : Path.GetFullPath(previewPath),
                    source_size = new[] { decoded.Width, decoded.Height },
                    deskew = options.Deskew,
                    centre_of_mass = new[] { Math.Round(cx, 3), Math.Round(cy, 3) },
                });
            }
            else
            {
                Console.Out.WriteLine($"{input} ({decoded.Width}x{decoded.Height}) -> {outPath} (28x28, centre of mass {cx:F2}, {cy:F2})");
            }
            return CommandRunner.Ok;
        });
        return cmd;
    }

    private static string PreviewPath(string outPath) => Path.ChangeExtension(outPath, null) + ".preview.png";
}
