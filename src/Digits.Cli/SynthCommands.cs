using System.CommandLine;
using System.Diagnostics;
using Digits.Data;
using Digits.Synthesis;
using Spectre.Console;

namespace Digits.Cli;

/// <summary>
/// <c>digits data synth-scans</c> and <c>digits data synth-fonts</c>: labelled image folders that look like what
/// users send (phone photos and scans of one handwritten digit), for <c>digits evaluate MODEL --images DIR</c>.
/// </summary>
internal static class SynthCommands
{
    /// <summary>The most pictures one run makes.</summary>
    private const int MaxCount = 1_000_000;

    private static Option<ulong> Seed() => new("--seed") { Description = "Seed for every choice: which digits, fonts and photo parameters (the same seed gives the same files)", DefaultValueFactory = _ => 1UL, HelpName = "N" };

    private static Option<int> Count() => new("--count") { Description = $"How many pictures (1 to {MaxCount:N0})", DefaultValueFactory = _ => 1000, HelpName = "N" };

    private static Option<string> Output() => new("--out", "-o") { Description = "A new or empty folder for the pictures and labels.csv", Required = true, HelpName = "DIR" };

    public static Command Scans()
    {
        var split = new Option<string>("--split")
        {
            Description = "validation: only the training images digits train cnn holds out (never trained on); test: MNIST's test images",
            DefaultValueFactory = _ => "validation",
            HelpName = "validation|test",
        };
        split.AcceptOnlyFromAmong("validation", "test");
        var seed = Seed();
        var count = Count();
        var output = Output();
        var cmd = new Command("synth-scans", "Render MNIST digits as phone photos or scans of handwriting (paper, light, ink, pen, tilt, blur, JPEG) into a labelled folder");
        cmd.Options.Add(GlobalOptions.Data);
        cmd.Options.Add(split);
        cmd.Options.Add(seed);
        cmd.Options.Add(count);
        cmd.Options.Add(output);
        cmd.Options.Add(GlobalOptions.Json);
        cmd.SetAction(async (parsed, ct) =>
        {
            var terminal = new Terminal(parsed.GetValue(GlobalOptions.Verbose));
            int n = CheckCount(parsed.GetValue(count));
            string folder = parsed.GetValue(output)!;
            var which = parsed.GetValue(split) == "test" ? ScanSplit.Test : ScanSplit.Validation;
            var loaded = await DataCommands.LoadAsync(parsed, terminal, DatasetCatalog.Mnist, ct,
                dataFiles => SynthSet.CheckFolder(folder, "--out", dataFiles, n * ScanSynthesizer.BytesPerImage));
            var source = which == ScanSplit.Test ? DatasetSplit.Test : DatasetSplit.Train;
            loaded.RequireCatalogImageSize(source);
            if (loaded.Checksums(source) != ChecksumState.Verified)
                Console.Error.WriteLine($"warning: the {source.ToString().ToLowerInvariant()} files in {loaded.Location.Directory} are not MNIST's published ones (checksum mismatch); the scans show these files' digits");
            ulong s = parsed.GetValue(seed);
            string words = which == ScanSplit.Test ? "MNIST test digits" : "MNIST validation digits (held out by digits train cnn)";
            long started = Stopwatch.GetTimestamp();
            var result = Run(parsed, folder, ct, () => CountProgressView.Run(terminal, "rendering scans", n,
                progress => ScanSynthesizer.Write(folder, loaded, which, s, n, PhotoRanges.Fixed, progress, ct)));
            if (result is null)
                return CommandRunner.Interrupted;
            double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            Terminal.Wrote(result.Labels, $"{n} pictures");
            if (parsed.GetValue(GlobalOptions.Json))
            {
                JsonOutput.Print(new
                {
                    @out = result.Folder,
                    labels = result.Labels,
                    split = which == ScanSplit.Test ? "test" : "validation",
                    source = which == ScanSplit.Test ? "mnist-test" : "mnist-train-validation",
                    seed = s,
                    count = n,
                    class_counts = result.ClassCounts,
                    bytes = result.Bytes,
                    seconds,
                    ranges = PhotoRanges.Fixed,
                });
                return CommandRunner.Ok;
            }
            terminal.Out.MarkupLineInterpolated($"{n:N0} scans of {words} in [blue]{result.Folder}[/] (labels.csv; {result.Bytes / 1e6:F1} MB, {seconds:F1} s)");
            return CommandRunner.Ok;
        });
        return cmd;
    }

    public static Command Fonts()
    {
        var seed = Seed();
        var count = Count();
        var output = Output();
        var cmd = new Command("synth-fonts", "Render 0-9 in handwriting-style fonts (Debian font packages) as phone photos or scans into a labelled folder");
        cmd.Options.Add(seed);
        cmd.Options.Add(count);
        cmd.Options.Add(output);
        cmd.Options.Add(GlobalOptions.Json);
        cmd.SetAction((parsed, ct) =>
        {
            var terminal = new Terminal(parsed.GetValue(GlobalOptions.Verbose));
            int n = CheckCount(parsed.GetValue(count));
            string folder = parsed.GetValue(output)!;
            using var fonts = FontSynthesizer.Choose();
            SynthSet.CheckFolder(folder, "--out", fonts.Used.Select(f => f.File), n * ScanSynthesizer.BytesPerImage);
            if (fonts.Missing.Count > 0)
            {
                Console.Error.WriteLine($"warning: fonts: {string.Join(", ", fonts.Missing.Select(f => f.Name))} not installed ({string.Join(", ", fonts.Missing.SelectMany(f => f.Files))}); the set uses the other {fonts.Used.Count}. Install them with '{HandwritingFonts.InstallCommand(fonts.Missing)}'");
            }
            foreach (var d in fonts.Dropped)
                terminal.Log($"font {d.Font.Name} ({d.File}) dropped: {d.Dropped}");
            ulong s = parsed.GetValue(seed);
            long started = Stopwatch.GetTimestamp();
            var result = Run(parsed, folder, ct, () => CountProgressView.Run(terminal, "rendering fonts", n,
                progress => FontSynthesizer.Write(folder, fonts, s, n, PhotoRanges.Fixed, progress, ct)));
            if (result is null)
                return Task.FromResult(CommandRunner.Interrupted);
            double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            Terminal.Wrote(result.Labels, $"{n} pictures");
            if (parsed.GetValue(GlobalOptions.Json))
            {
                JsonOutput.Print(new
                {
                    @out = result.Folder,
                    labels = result.Labels,
                    seed = s,
                    count = n,
                    class_counts = result.ClassCounts,
                    bytes = result.Bytes,
                    seconds,
                    fonts = fonts.Used.Select(f => new { name = f.Font.Name, package = f.Font.Package, file = f.File }),
                    dropped = fonts.Dropped.Select(f => new { name = f.Font.Name, package = f.Font.Package, file = f.File, reason = f.Dropped }),
                    missing = fonts.Missing.Select(f => new { name = f.Name, package = f.Package, files = f.Files }),
                    ranges = PhotoRanges.Fixed,
                });
                return Task.FromResult(CommandRunner.Ok);
            }
            terminal.Out.MarkupLineInterpolated($"{n:N0} pictures of digits in {fonts.Used.Count} handwriting fonts in [blue]{result.Folder}[/] (labels.csv; {result.Bytes / 1e6:F1} MB, {seconds:F1} s)");
            terminal.Out.MarkupLineInterpolated($"fonts: {string.Join(", ", fonts.Used.Select(f => f.Font.Name))}");
            return Task.FromResult(CommandRunner.Ok);
        });
        return cmd;
    }

    private static int CheckCount(int count) => count is >= 1 and <= MaxCount ? count
        : throw new InvalidOptionException("--count", $"must be 1 to {MaxCount:N0}, got {count}");

    /// <summary>
    /// Runs the rendering; on Ctrl+C says that the pictures so far stay but no labels.csv was written (so the folder is
    /// not a set), prints the one JSON object under --json, and returns null.
    /// </summary>
    private static SynthSetResult? Run(ParseResult parsed, string folder, CancellationToken ct, Func<SynthSetResult> render)
    {
        try
        {
            return render();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Console.Error.WriteLine($"error: {folder}: interrupted; the pictures rendered so far are there, but labels.csv was not written, so the folder is not a set");
            if (parsed.GetValue(GlobalOptions.Json))
                JsonOutput.Print(new { interrupted = true, @out = Path.GetFullPath(folder) });
            return null;
        }
    }
}
