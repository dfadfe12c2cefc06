using System.CommandLine;
using Digits.Data;
using Spectre.Console;

namespace Digits.Cli;

/// <summary><c>digits data info|verify|fetch|show|synth-scans|synth-fonts</c>: where the data is, whether it is intact, what it looks like, and sets that look like photos of it.</summary>
internal static class DataCommands
{
    private static readonly Option<string> DatasetName = new("--dataset")
    {
        Description = "Which dataset (known: " + string.Join(", ", DatasetCatalog.All.Select(d => d.Name)) + ")",
        DefaultValueFactory = _ => "mnist",
        HelpName = "NAME",
    };

    public static Command Create()
    {
        var data = new Command("data", "Inspect, verify, download and view the training data, and make sets that look like real photos");
        data.Subcommands.Add(Info());
        data.Subcommands.Add(Verify());
        data.Subcommands.Add(Fetch());
        data.Subcommands.Add(Show());
        data.Subcommands.Add(SynthCommands.Scans());
        data.Subcommands.Add(SynthCommands.Fonts());
        return data;
    }

    /// <summary>A store for the --data folder of this invocation.</summary>
    public static DatasetStore StoreFor(ParseResult parsed, bool allowDownload = true)
        => new(new DatasetStoreOptions { DataDirectory = parsed.GetValue(GlobalOptions.Data), AllowDownload = allowDownload });

    /// <summary>The <c>--dataset</c> named; an unknown name is a usage mistake (exit 2) that lists the known ones.</summary>
    private static DatasetDefinition DatasetFor(ParseResult parsed)
    {
        string name = parsed.GetValue(DatasetName)!;
        return DatasetCatalog.Find(name) ?? throw new InvalidOptionException("--dataset", DatasetCatalog.UnknownNameProblem(name));
    }

    /// <summary>
    /// Finds (downloading if needed, with progress) and loads a dataset for any command that trains or evaluates.
    /// <paramref name="checkOutputs"/> is called with the dataset's files once they are found and before they are
    /// read, so that a command checks its outputs against every input before any work.
    /// </summary>
    public static async Task<LoadedDataset> LoadAsync(ParseResult parsed, Terminal terminal, DatasetDefinition dataset, CancellationToken ct,
        Action<IReadOnlyCollection<string>>? checkOutputs = null)
    {
        var store = StoreFor(parsed);
        var location = await DownloadProgressView.RunAsync(terminal, p => store.ResolveAsync(dataset, p, ct));
        checkOutputs?.Invoke([.. location.Paths.Values]);
        return DatasetStore.Load(location);
    }

    /// <summary>
    /// Checks the test split before a command reports a figure on it: the images must be the catalog's size, and a
    /// checksum mismatch is said on stderr and in what the command prints, so that a result on edited files never
    /// passes for "MNIST test".
    /// </summary>
    public static TestSetIdentity CheckTestSet(LoadedDataset loaded)
    {
        loaded.RequireCatalogImageSize(DatasetSplit.Test);
        var checks = loaded.VerifySplit(DatasetSplit.Test);
        if (checks.All(c => c.Matches))
            return new TestSetIdentity("verified", $"{loaded.Dataset.Name}-test", $"{loaded.Dataset.DisplayName} test");
        string differs = string.Join(" and ", checks.Where(c => !c.Matches).Select(c => Path.GetFileName(c.Path)));
        Console.Error.WriteLine($"warning: {differs}: checksum mismatch, these are not {loaded.Dataset.DisplayName}'s published test files; results below are on these files only");
        return new TestSetIdentity("mismatch", loaded.Location.Directory, $"the test files in {loaded.Location.Directory} (checksum mismatch: not {loaded.Dataset.DisplayName}'s)");
    }

    private static Command Info()
    {
        var noVerify = new Option<bool>("--no-verify") { Description = "Skip the SHA-256 check of the files (checksums: unchecked)" };
        var cmd = new Command("info", "Where the data came from, image counts, class balance and checksum state");
        cmd.Options.Add(GlobalOptions.Data);
        cmd.Options.Add(DatasetName);
        cmd.Options.Add(noVerify);
        cmd.Options.Add(GlobalOptions.Json);
        cmd.SetAction(async (parsed, ct) =>
        {
            var terminal = new Terminal(parsed.GetValue(GlobalOptions.Verbose));
            var dataset = DatasetFor(parsed);
            var loaded = await LoadAsync(parsed, terminal, dataset, ct);
            bool verify = !parsed.GetValue(noVerify);
            IReadOnlyList<FileCheck>? trainChecks = verify ? loaded.VerifySplit(DatasetSplit.Train) : null;
            IReadOnlyList<FileCheck>? testChecks = verify ? loaded.VerifySplit(DatasetSplit.Test) : null;
            IReadOnlyList<FileCheck>? checks = verify ? [.. trainChecks!, .. testChecks!] : null;
            string state = StateName(checks);
            int[] trainCounts = loaded.Train.ClassCounts(), testCounts = loaded.Test.ClassCounts();

            if (parsed.GetValue(GlobalOptions.Json))
            {
                JsonOutput.Print(new
                {
                    dataset = dataset.Name,
                    source = loaded.Location.SourceName,
                    directory = loaded.Location.Directory,
                    train = SplitRow(loaded.Train, trainCounts, trainChecks),
                    test = SplitRow(loaded.Test, testCounts, testChecks),
                    checksums = state,
                    image_size = new[] { loaded.Train.Rows, loaded.Train.Cols },
                    labels = dataset.Labels,
                    files = FileRows(loaded.Location, checks),
                });
                return CommandRunner.Ok;
            }

            var o = terminal.Out;
            o.MarkupLineInterpolated($"[bold]{dataset.Name}[/] from [blue]{loaded.Location.Directory}[/] (source: {loaded.Location.SourceName})");
            string trainSize = $"{loaded.Train.Rows}x{loaded.Train.Cols}", testSize = $"{loaded.Test.Rows}x{loaded.Test.Cols}";
            if (trainSize == testSize)
                o.MarkupLineInterpolated($"train {loaded.Train.Count:N0} images, test {loaded.Test.Count:N0} images, {trainSize} pixels");
            else
                o.MarkupLineInterpolated($"train {loaded.Train.Count:N0} images of {trainSize} pixels, test {loaded.Test.Count:N0} images of [red]{testSize}[/] pixels");
            foreach (var split in new[] { DatasetSplit.Train, DatasetSplit.Test })
            {
                var images = loaded.Split(split);
                if (images.Rows != dataset.ImageRows || images.Cols != dataset.ImageCols)
                    o.MarkupLineInterpolated($"[red]the {split.ToString().ToLowerInvariant()} images are {images.Rows}x{images.Cols}, but {dataset.DisplayName} images are {dataset.ImageRows}x{dataset.ImageCols}[/]");
            }
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("class").AddColumn(new TableColumn("train").RightAligned()).AddColumn(new TableColumn("train %").RightAligned())
                .AddColumn(new TableColumn("test").RightAligned()).AddColumn(new TableColumn("test %").RightAligned());
            for (int c = 0; c < dataset.Labels.Count; c++)
            {
                table.AddRow(dataset.Labels[c], trainCounts[c].ToString("N0"), $"{100.0 * trainCounts[c] / loaded.Train.Count:F2}",
                    testCounts[c].ToString("N0"), $"{100.0 * testCounts[c] / loaded.Test.Count:F2}");
            }
            o.Write(table);
            string colour = state == "verified" ? "green" : state == "mismatch" ? "red" : "yellow";
            o.MarkupLine($"checksums: [{colour}]{state}[/]");
            if (checks is not null)
            {
                foreach (var c in checks.Where(c => !c.Matches))
                    o.MarkupLineInterpolated($"  [red]{Path.GetFileName(c.Path)}[/]: expected {c.File.Sha256}, found {c.ActualSha256}");
            }
            return CommandRunner.Ok;
        });
        return cmd;
    }

    /// <summary>One split's part of <c>data info --json</c>: the contract's count and class counts, then its image size and checksum state.</summary>
    private static object SplitRow(LabeledImages images, int[] classCounts, IReadOnlyList<FileCheck>? checks) => new
    {
        count = images.Count,
        class_counts = classCounts,
        image_size = new[] { images.Rows, images.Cols },
        checksums = StateName(checks),
    };

    /// <summary>The contract's checksum word: <c>unchecked</c> without checks, else <c>verified</c> or <c>mismatch</c>.</summary>
    private static string StateName(IReadOnlyList<FileCheck>? checks)
        => (checks is null ? ChecksumState.Unchecked : checks.All(c => c.Matches) ? ChecksumState.Verified : ChecksumState.Mismatch).ToString().ToLowerInvariant();

    private static Command Verify()
    {
        var cmd = new Command("verify", "Check every file's SHA-256 against the catalog; exit 1 on a mismatch");
        cmd.Options.Add(GlobalOptions.Data);
        cmd.Options.Add(DatasetName);
        cmd.Options.Add(GlobalOptions.Json);
        cmd.SetAction(parsed =>
        {
            var terminal = new Terminal(parsed.GetValue(GlobalOptions.Verbose));
            var dataset = DatasetFor(parsed);
            var location = StoreFor(parsed, allowDownload: false).TryLocate(dataset)
                ?? throw new DigitsException(dataset.Name, "not found: pass --data DIR, set DIGITS_DATA, or run 'digits data fetch'");
            var checks = DatasetStore.Verify(location);
            bool ok = checks.All(c => c.Matches);
            if (parsed.GetValue(GlobalOptions.Json))
            {
                JsonOutput.Print(new
                {
                    dataset = dataset.Name,
                    source = location.SourceName,
                    directory = location.Directory,
                    checksums = ok ? "verified" : "mismatch",
                    files = FileRows(location, checks),
                });
            }
            else
            {
                foreach (var c in checks)
                {
                    if (c.Matches)
                        terminal.Out.MarkupLineInterpolated($"[green]ok[/]       {c.Path}");
                    else
                        terminal.Out.MarkupLineInterpolated($"[red]mismatch[/] {c.Path}: expected {c.File.Sha256}, found {c.ActualSha256}");
                }
            }
            if (!ok)
            {
                var bad = checks.First(c => !c.Matches);
                Console.Error.WriteLine($"error: {Path.GetFileName(bad.Path)}: checksum mismatch, expected {bad.File.Sha256}, found {bad.ActualSha256}");
                return CommandRunner.Error;
            }
            return CommandRunner.Ok;
        });
        return cmd;
    }

    private static Command Fetch()
    {
        var cmd = new Command("fetch", "Download the dataset into the cache folder (checked against SHA-256) unless it is there already");
        cmd.Options.Add(DatasetName);
        cmd.Options.Add(GlobalOptions.Json);
        cmd.SetAction(async (parsed, ct) =>
        {
            var terminal = new Terminal(parsed.GetValue(GlobalOptions.Verbose));
            var dataset = DatasetFor(parsed);
            var store = new DatasetStore(new DatasetStoreOptions { DataDirectory = null, EnvironmentDirectory = null });
            var location = await DownloadProgressView.RunAsync(terminal, p => store.ResolveAsync(dataset, p, ct));
            if (parsed.GetValue(GlobalOptions.Json))
                JsonOutput.Print(new { dataset = dataset.Name, source = location.SourceName, directory = location.Directory, files = FileRows(location, null) });
            else
                terminal.Out.MarkupLineInterpolated($"{dataset.Name} is in [blue]{location.Directory}[/] ({(location.Source == DataSource.Download ? "downloaded" : "already cached")})");
            return CommandRunner.Ok;
        });
        return cmd;
    }

    private static Command Show()
    {
        var split = new Option<string>("--split") { Description = "Which half to show", DefaultValueFactory = _ => "test", HelpName = "train|test" };
        split.AcceptOnlyFromAmong("train", "test");
        var from = new Option<int>("--from") { Description = "Index of the first image", DefaultValueFactory = _ => 0, HelpName = "N" };
        var count = new Option<int>("--count") { Description = "How many images (1 to 1024)", DefaultValueFactory = _ => 64, HelpName = "N" };
        var columns = new Option<int>("--columns") { Description = "Images per row", DefaultValueFactory = _ => 16, HelpName = "N" };
        var scale = new Option<int>("--scale") { Description = "Enlargement of each pixel (1 to 8)", DefaultValueFactory = _ => 3, HelpName = "N" };
        var output = new Option<string>("--out", "-o") { Description = "Where to write the PNG", DefaultValueFactory = _ => "grid.png", HelpName = "FILE.png" };
        var cmd = new Command("show", "Write a labelled grid picture of dataset images, e.g. --split test --from 0 --count 64 --out grid.png");
        cmd.Options.Add(GlobalOptions.Data);
        cmd.Options.Add(DatasetName);
        cmd.Options.Add(split);
        cmd.Options.Add(from);
        cmd.Options.Add(count);
        cmd.Options.Add(columns);
        cmd.Options.Add(scale);
        cmd.Options.Add(output);
        cmd.Options.Add(ShowImages.Images);
        cmd.Options.Add(GlobalOptions.Json);
        cmd.SetAction(async (parsed, ct) =>
        {
            int first = parsed.GetValue(from), n = parsed.GetValue(count), cols = parsed.GetValue(columns), zoom = parsed.GetValue(scale);
            if (first < 0)
                throw new InvalidOptionException("--from", $"must be 0 or more, got {first}");
            if (n is < 1 or > 1024)
                throw new InvalidOptionException("--count", $"must be 1 to 1024, got {n}");
            if (cols < 1)
                throw new InvalidOptionException("--columns", $"must be at least 1, got {cols}");
            if (zoom is < 1 or > 8)
                throw new InvalidOptionException("--scale", $"must be 1 to 8, got {zoom}");
            if (parsed.GetValue(ShowImages.Images) is { } folder)
                return ShowImages.Run(parsed, folder, first, n, cols, zoom, parsed.GetValue(output)!);
            var dataset = DatasetFor(parsed);
            cols = Math.Min(cols, n);
            RefuseOversizedPicture(dataset, first, n, cols, zoom);
            var terminal = new Terminal(parsed.GetValue(GlobalOptions.Verbose));
            string path = parsed.GetValue(output)!;
            var loaded = await LoadAsync(parsed, terminal, dataset, ct, dataFiles => OutputPath.Check(path, "--out", dataFiles));
            string half = parsed.GetValue(split)!;
            var splitShown = half == "train" ? DatasetSplit.Train : DatasetSplit.Test;
            loaded.RequireCatalogImageSize(splitShown);
            var images = loaded.Split(splitShown);
            if (first >= images.Count)
                throw new InvalidOptionException("--from", $"must be below {images.Count} (the {half} split's size), got {first}");
            n = Math.Min(n, images.Count - first);
            cols = Math.Min(cols, n);
            var captions = new string[n];
            for (int i = 0; i < n; i++)
                captions[i] = $"#{first + i}: {dataset.Labels[images.Labels[first + i]]}";
            byte[] png = Imaging.DigitGrid.RenderPng(images.Pixels.AsSpan(first * images.PixelsPerImage, n * images.PixelsPerImage), captions, cols, zoom);
            AtomicFile.WriteAllBytes(path, png);
            Terminal.Wrote(path, $"{n} {half} images");
            if (parsed.GetValue(GlobalOptions.Json))
                JsonOutput.Print(new { @out = Path.GetFullPath(path), dataset = dataset.Name, split = half, from = first, count = n, columns = cols });
            else
                terminal.Out.MarkupLineInterpolated($"{n} {half} images ({first}..{first + n - 1}) in [blue]{path}[/]");
            return CommandRunner.Ok;
        });
        return cmd;
    }

    /// <summary>
    /// Refuses, before any data is loaded, a grid picture over <see cref="Imaging.ImageDecoder.MaxPixels"/> (40 megapixels),
    /// the limit the decoder and the web API put on pictures coming in. The size is an upper bound: captions are
    /// measured with the last index asked for and the dataset's longest label.
    /// </summary>
    private static void RefuseOversizedPicture(DatasetDefinition dataset, int first, int count, int columns, int scale)
    {
        int longestCaption = $"#{(long)first + count - 1}: ".Length + dataset.Labels.Max(l => l.Length);
        var (width, height) = Imaging.DigitGrid.Measure(count, columns, scale, longestCaption);
        long pixels = width * height;
        if (pixels > Imaging.ImageDecoder.MaxPixels)
        {
            throw new InvalidOptionException("--count, --columns, --scale",
                $"the picture would be {width}x{height} pixels ({pixels / 1e6:F1} megapixels), more than {Imaging.ImageDecoder.MaxPixels / 1_000_000} megapixels; use a smaller --count, --columns or --scale");
        }
    }

    private static object[] FileRows(ResolvedDataset location, IReadOnlyList<FileCheck>? checks)
        => location.Dataset.Files.Select(f =>
        {
            var check = checks?.First(c => c.File == f);
            return (object)new
            {
                name = f.FileName,
                path = location.Paths[f],
                sha256 = check?.ActualSha256,
                matches = check?.Matches,
            };
        }).ToArray();
}

/// <summary>What a test figure was measured on.</summary>
/// <param name="Checksums"><c>verified</c> or <c>mismatch</c>, as in <c>data info</c>.</param>
/// <param name="Dataset">The JSON <c>dataset</c>: <c>mnist-test</c> for the published files, else their folder.</param>
/// <param name="Words">How a sentence names the set, e.g. "MNIST test".</param>
internal sealed record TestSetIdentity(string Checksums, string Dataset, string Words);
