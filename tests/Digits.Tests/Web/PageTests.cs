using System.Diagnostics;
using Digits.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Digits.Tests.Web;

/// <summary>
/// One server on port 0 and one headless Debian chromium, shared by every page test. Without chromium the tests fail
/// (CI installs it); they never skip.
/// </summary>
public sealed class PageFixture : IAsyncLifetime
{
    /// <summary>Debian's chromium; no browser can be downloaded here, so Playwright drives this one.</summary>
    public const string Chromium = "/usr/bin/chromium";

    private WebApplication? app;
    private IPlaywright? playwright;
    private IBrowser? browser;

    public IBrowser Browser => browser ?? throw new InvalidOperationException("the browser has not started");

    /// <summary>The page's address, e.g. http://127.0.0.1:41234.</summary>
    public string Url { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException(
                $"the page tests need Debian's chromium at {Chromium}: install it with `apt-get install -y chromium` (.ci/run does)");
        }
        app = DigitsServer.Build(new ServerOptions(Port: 0));
        await app.StartAsync();
        Url = app.Urls.First();
        // The driver is the node and playwright-core that the NuGet package copies into the test output (.playwright/).
        playwright = await Playwright.CreateAsync();
        // Playwright passes --no-sandbox itself unless ChromiumSandbox is true; as root in a container chromium needs it.
        browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, ChromiumSandbox = false });
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
            await browser.CloseAsync();
        playwright?.Dispose();
        if (app is not null)
            await app.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PageCollection : ICollectionFixture<PageFixture>
{
    public const string Name = "Page in a browser";
}

/// <summary>
/// The drawing page in a real browser: digits drawn with the mouse and with a finger, at the centre, small in a corner
/// and large, at device scale factor 2; uploads, the empty pad, a scribble, no scrolling while drawing, a screenshot.
/// The pen is the page's own (6.5% of the pad); drawings are in a unit box, y down, placed on the pad.
/// </summary>
[Collection(PageCollection.Name)]
public sealed class PageTests(PageFixture fixture, ITestOutputHelper output)
{
    // ---- drawings, as a person writes them ------------------------------------------------------------------------

    /// <summary>A drawing: strokes, each a polyline of points in a unit box (0..1, y down).</summary>
    private sealed record Drawing(string Digit, (double X, double Y)[][] Strokes);

    /// <summary>Where a drawing goes: its box's left and top, and its side, as fractions of the pad's side.</summary>
    private sealed record Placement(double Left, double Top, double Size);

    /// <summary>An oval started at the top, drawn anticlockwise, closed with a little overlap.</summary>
    private static readonly Drawing Zero = new("0", [Ellipse(0.5, 0.5, 0.3, 0.42, 1.05, 40)]);

    /// <summary>A short flag up to the top, then down with a slight slant.</summary>
    private static readonly Drawing One = new("1", [[(0.44, 0.18), (0.56, 0.08), (0.54, 0.5), (0.52, 0.92)]]);

    /// <summary>Two strokes: down and across (an open top), then the long upright through the bar.</summary>
    private static readonly Drawing Four = new("4", [[(0.32, 0.08), (0.2, 0.6), (0.85, 0.6)], [(0.66, 0.1), (0.66, 0.95)]]);

    /// <summary>One stroke: the top bar, then the diagonal down to the left.</summary>
    private static readonly Drawing Seven = new("7", [[(0.18, 0.12), (0.82, 0.12), (0.62, 0.5), (0.42, 0.92)]]);

    /// <summary>Not a digit: three small rings side by side.</summary>
    private static readonly Drawing Rings = new("", [
        Ellipse(0.15, 0.5, 0.12, 0.12, 1.05, 16), Ellipse(0.5, 0.5, 0.12, 0.12, 1.05, 16), Ellipse(0.85, 0.5, 0.12, 0.12, 1.05, 16)]);

    private static readonly Placement Centre = new(0.25, 0.25, 0.5);
    private static readonly Placement SmallTopLeft = new(0.04, 0.04, 0.26);
    private static readonly Placement Large = new(0.05, 0.05, 0.9);
    private static readonly Placement SmallBottomRight = new(0.72, 0.72, 0.24);
    private static readonly Placement SmallTopRight = new(0.72, 0.04, 0.24);

    private static (double X, double Y)[] Ellipse(double cx, double cy, double rx, double ry, double turns, int segments) =>
        [.. Enumerable.Range(0, segments + 1).Select(i =>
        {
            double a = -turns * 2 * Math.PI * i / segments;
            return (cx + rx * Math.Sin(a), cy - ry * Math.Cos(a));
        })];

    private static Placement PlacementNamed(string where) => where switch
    {
        "centre" => Centre,
        "small in a corner" => SmallTopLeft,
        "large" => Large,
        _ => throw new ArgumentOutOfRangeException(nameof(where), where, null),
    };

    // ---- the tests -----------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("centre")]
    [InlineData("small in a corner")]
    [InlineData("large")]
    public async Task A_0_1_4_and_7_drawn_with_the_mouse_are_read(string where)
    {
        await using var tab = await OpenAsync();
        var at = PlacementNamed(where);
        var shown = new List<string>();

        foreach (var drawing in new[] { Zero, One, Four, Seven })
        {
            await tab.Page.ClickAsync("#clear");
            await DrawWithMouseAsync(tab.Page, drawing, at);
            shown.Add((await AnswerAsync(tab, $"{drawing.Digit} {where}")).Digit);
        }

        Assert.Equal(new[] { "0", "1", "4", "7" }, shown);
    }

    [Fact]
    public async Task Strokes_land_under_the_pointer_at_device_scale_factor_2_and_corner_digits_are_read()
    {
        await using var tab = await OpenAsync(new() { DeviceScaleFactor = 2 });
        var page = tab.Page;
        Assert.Equal(2, await page.EvaluateAsync<int>("() => document.getElementById('pad').width / document.getElementById('pad').clientWidth"));

        var shown = new List<string>();
        foreach (var (drawing, at) in new[] { (Seven, SmallBottomRight), (Four, SmallTopRight) })
        {
            await page.ClickAsync("#clear");
            var pointer = await DrawWithMouseAsync(page, drawing, at);
            shown.Add((await AnswerAsync(tab, $"{drawing.Digit} in a corner at scale 2")).Digit);

            // Ink in the backing store (2 pixels per CSS pixel) exactly where the pointer went, none in the middle.
            var ink = await page.EvaluateAsync<int[]>(
                """
                points => {
                  const pad = document.getElementById("pad"), r = window.devicePixelRatio;
                  const data = pad.getContext("2d").getImageData(0, 0, pad.width, pad.height).data;
                  return points.map(([x, y]) => data[(Math.round(y * r) * pad.width + Math.round(x * r)) * 4]);
                }
                """,
                pointer.Select(p => new[] { p.X, p.Y }).Append(new[] { tab.PadSize / 2, tab.PadSize / 2 }).ToArray());
            Assert.All(ink[..^1], red => Assert.True(red < 80, $"paper ({red}) under the pointer"));
            Assert.True(ink[^1] > 200, $"ink ({ink[^1]}) in the middle of the pad, far from the pointer");
        }

        Assert.Equal(new[] { "7", "4" }, shown);
    }

    [Fact]
    public async Task A_7_and_a_0_drawn_with_a_finger_are_read()
    {
        await using var tab = await OpenAsync(new() { HasTouch = true });
        var page = tab.Page;
        await page.EvaluateAsync("() => { window.pointerTypes = new Set(); document.getElementById('pad').addEventListener('pointerdown', e => window.pointerTypes.add(e.pointerType)); }");

        var shown = new List<string>();
        foreach (var (drawing, at) in new[] { (Seven, new Placement(0.15, 0.15, 0.7)), (Zero, SmallTopLeft) })
        {
            await page.ClickAsync("#clear");
            await DrawWithFingerAsync(tab, drawing, at);
            shown.Add((await AnswerAsync(tab, $"{drawing.Digit} with a finger")).Digit);
        }

        Assert.Equal(new[] { "7", "0" }, shown);
        Assert.Equal(new[] { "touch" }, await page.EvaluateAsync<string[]>("() => [...window.pointerTypes]"));
    }

    [Fact]
    public async Task A_finger_dragged_up_the_pad_draws_and_does_not_scroll_the_page()
    {
        // 400 px high: the page is taller than the window, so a drag anywhere else scrolls it.
        await using var tab = await OpenAsync(new() { HasTouch = true, ViewportSize = new() { Width = 1000, Height = 400 } });
        var page = tab.Page;
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollHeight > window.innerHeight + 100"), "the page must be taller than the window");
        var pad = await PadBoxAsync(page);

        double x = pad.X + pad.Width / 2, bottom = Math.Min(pad.Y + pad.Height * 0.9, 390);
        await FingerDragAsync(tab, [(x, bottom), (x, pad.Y + pad.Height * 0.1)]);
        var answer = await AnswerAsync(tab, "a vertical finger drag on the pad");

        Assert.Equal(0, await page.EvaluateAsync<double>("() => window.scrollY"));
        Assert.Equal("1", answer.Digit);

        // The same drag beside the pad does scroll: the check above can see scrolling.
        double beside = pad.X + pad.Width + 400;
        await FingerDragAsync(tab, [(beside, bottom), (beside, pad.Y + pad.Height * 0.1)]);
        await page.WaitForFunctionAsync("() => window.scrollY > 0", null, new() { Timeout = 5_000 });
    }

    [Theory]
    [InlineData("canvas-5.png", "5")]
    [InlineData("canvas-2.png", "2")] // transparent background: needs white paper before the page's JPEG re-encode
    [InlineData("font-7.jpg", "7")]
    [InlineData("photo-7-exif-rotated.jpg", "7")] // the browser applies the EXIF rotation before resizing
    public async Task An_uploaded_picture_is_read(string file, string digit)
    {
        await using var tab = await OpenAsync();

        await tab.Page.SetInputFilesAsync("#file", Path.Combine(TestData.RepoRoot, "samples", file));
        var answer = await AnswerAsync(tab, file);

        Assert.Equal("ok", answer.Status);
        Assert.Equal(digit, answer.Digit);
        Assert.Matches($@"^It's a {digit} \((99\.\d|100\.0)% sure\)$", answer.Message);
        // The winning bar is drawn nearly full width (its fill is a block, not an inline span that ignores width).
        double share = await tab.Page.EvaluateAsync<double>(
            "() => { const top = document.querySelector('#bars li.top'); return top.querySelector('.fill').offsetWidth / top.querySelector('.track').offsetWidth; }");
        Assert.InRange(share, 0.9, 1.0);
    }

    [Fact]
    public async Task The_empty_pad_says_draw_a_digit_and_says_it_again_after_clear_or_escape()
    {
        await using var tab = await OpenAsync();
        var page = tab.Page;
        Assert.Equal(new PageAnswer("empty", "", "Draw a digit"), await ShownAsync(page));
        Assert.All(await page.Locator("#bars .pct").AllTextContentsAsync(), pct => Assert.Equal("", pct));

        await DrawWithMouseAsync(page, One, Centre);
        Assert.Equal("1", (await AnswerAsync(tab, "1 before clear")).Digit);
        await page.ClickAsync("#clear");
        Assert.Equal(new PageAnswer("empty", "", "Draw a digit"), await ShownAsync(page));

        await DrawWithMouseAsync(page, Seven, Centre);
        Assert.Equal("7", (await AnswerAsync(tab, "7 before escape")).Digit);
        await page.Keyboard.PressAsync("Escape");
        Assert.Equal(new PageAnswer("empty", "", "Draw a digit"), await ShownAsync(page));
        Assert.All(await page.Locator("#bars .pct").AllTextContentsAsync(), pct => Assert.Equal("", pct));
    }

    [Fact]
    public async Task Three_small_rings_side_by_side_are_not_read_as_a_confident_digit()
    {
        await using var tab = await OpenAsync();

        await DrawWithMouseAsync(tab.Page, Rings, Centre);
        var answer = await AnswerAsync(tab, "three rings");

        Assert.Contains(answer.Status, new[] { "unsure", "no-digit" });
        Assert.Contains(answer.Digit, new[] { "?", "" });
        Assert.Matches("^(Unsure|No digit found): ", answer.Message);
    }

    [Fact]
    public async Task A_screenshot_after_drawing_a_4_goes_to_the_test_output_folder()
    {
        await using var tab = await OpenAsync();
        string path = Path.Combine(AppContext.BaseDirectory, "web.png");
        File.Delete(path);

        await DrawWithMouseAsync(tab.Page, Four, new Placement(0.16, 0.12, 0.74));
        Assert.Equal("4", (await AnswerAsync(tab, "4 for the screenshot")).Digit);
        await tab.Page.ScreenshotAsync(new() { Path = path, Animations = ScreenshotAnimations.Disabled });

        byte[] png = File.ReadAllBytes(path);
        Assert.Equal("PNG", System.Text.Encoding.ASCII.GetString(png, 1, 3));
        Assert.Equal(1000, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(700, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        output.WriteLine($"screenshot: {path}");
    }

    // ---- driving the page ----------------------------------------------------------------------------------------

    /// <summary>What the page shows: body[data-status], #digit and #message.</summary>
    private sealed record PageAnswer(string Status, string Digit, string Message);

    /// <summary>A browser context with one page on the server, and the page's JavaScript errors.</summary>
    private sealed class Tab(IBrowserContext context, IPage page, double padSize, List<string> errors) : IAsyncDisposable
    {
        public IPage Page => page;
        public double PadSize => padSize;
        public List<string> Errors => errors;
        public ICDPSession? Cdp { get; set; }

        public async ValueTask DisposeAsync() => await context.CloseAsync();
    }

    /// <summary>
    /// Counts the page's requests and notes the last pointerup, change or request start/end, so a test can wait until
    /// the answer to the finished drawing is on screen (the page predicts while drawing, throttled, and once more on
    /// pointerup; older answers are dropped).
    /// </summary>
    private const string QuietProbe =
        """
        (() => {
          const quiet = window.digitsQuiet = { inflight: 0, last: performance.now() };
          const touch = () => { quiet.last = performance.now(); };
          const fetch = window.fetch;
          window.fetch = async (...args) => {
            quiet.inflight++; touch();
            try { return await fetch(...args); } finally { quiet.inflight--; touch(); }
          };
          for (const type of ["pointerdown", "pointerup", "pointercancel", "change"]) document.addEventListener(type, touch, true);
        })();
        """;

    private const string Settled =
        "() => document.body.dataset.status !== 'empty' && window.digitsQuiet.inflight === 0 && performance.now() - window.digitsQuiet.last > 300";

    private async Task<Tab> OpenAsync(BrowserNewContextOptions? options = null)
    {
        options ??= new();
        options.ViewportSize ??= new() { Width = 1000, Height = 700 };
        options.ColorScheme = ColorScheme.Light;
        var context = await fixture.Browser.NewContextAsync(options);
        await context.AddInitScriptAsync(QuietProbe);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(fixture.Url);
        var box = await PadBoxAsync(page);
        return new Tab(context, page, box.Width, errors);
    }

    private static async Task<LocatorBoundingBoxResult> PadBoxAsync(IPage page) =>
        await page.Locator("#pad").BoundingBoxAsync() ?? throw new InvalidOperationException("#pad is not on screen");

    private static async Task<PageAnswer> ShownAsync(IPage page)
    {
        string[] shown = await page.EvaluateAsync<string[]>(
            "() => [document.body.dataset.status, document.getElementById('digit').textContent, document.getElementById('message').textContent]");
        return new PageAnswer(shown[0], shown[1], shown[2]);
    }

    /// <summary>Waits for a final answer (not empty, no request in flight, 300 ms quiet) and returns what is shown.</summary>
    private async Task<PageAnswer> AnswerAsync(Tab tab, string what)
    {
        var clock = Stopwatch.StartNew();
        await tab.Page.WaitForFunctionAsync(Settled, null, new() { PollingInterval = 50, Timeout = 20_000 });
        var answer = await ShownAsync(tab.Page);
        string bars = string.Join(" ", await tab.Page.Locator("#bars .pct").AllTextContentsAsync());
        output.WriteLine($"{what}: {answer.Status} \"{answer.Digit}\" {answer.Message} [{bars}] (answer after {clock.ElapsedMilliseconds} ms)");
        Assert.Empty(tab.Errors);
        return answer;
    }

    /// <summary>The drawing's strokes in page coordinates (CSS pixels).</summary>
    private static async Task<(double X, double Y)[][]> OnPageAsync(IPage page, Drawing drawing, Placement at)
    {
        var pad = await PadBoxAsync(page);
        return [.. drawing.Strokes.Select(stroke => stroke
            .Select(p => (pad.X + (at.Left + at.Size * p.X) * pad.Width, pad.Y + (at.Top + at.Size * p.Y) * pad.Height))
            .ToArray())];
    }

    /// <summary>Intermediate pointer moves between two points: one about every 12 CSS pixels, like a mouse moved at a
    /// moderate speed (each move costs a frame in the browser, so finer steps only make the tests slower).</summary>
    private static int StepsBetween((double X, double Y) a, (double X, double Y) b) =>
        Math.Max(1, (int)Math.Ceiling(Math.Sqrt((b.X - a.X) * (b.X - a.X) + (b.Y - a.Y) * (b.Y - a.Y)) / 12));

    /// <summary>Draws with the mouse, a press, many small moves and a release per stroke; returns the points the
    /// pointer passed through, relative to the pad.</summary>
    private static async Task<List<(double X, double Y)>> DrawWithMouseAsync(IPage page, Drawing drawing, Placement at)
    {
        var pad = await PadBoxAsync(page);
        var visited = new List<(double X, double Y)>();
        foreach (var stroke in await OnPageAsync(page, drawing, at))
        {
            await page.Mouse.MoveAsync((float)stroke[0].X, (float)stroke[0].Y);
            await page.Mouse.DownAsync();
            for (int i = 1; i < stroke.Length; i++)
                await page.Mouse.MoveAsync((float)stroke[i].X, (float)stroke[i].Y, new() { Steps = StepsBetween(stroke[i - 1], stroke[i]) });
            await page.Mouse.UpAsync();
            visited.AddRange(stroke.Select(p => (p.X - pad.X, p.Y - pad.Y)));
        }
        return visited;
    }

    private static async Task DrawWithFingerAsync(Tab tab, Drawing drawing, Placement at)
    {
        foreach (var stroke in await OnPageAsync(tab.Page, drawing, at))
            await FingerDragAsync(tab, stroke);
    }

    /// <summary>One finger down at the first point, moved through the others in small steps, lifted at the last:
    /// real touch input (CDP Input.dispatchTouchEvent), which the page sees as pointer events of type touch.</summary>
    private static async Task FingerDragAsync(Tab tab, IReadOnlyList<(double X, double Y)> points)
    {
        tab.Cdp ??= await tab.Page.Context.NewCDPSessionAsync(tab.Page);
        await TouchAsync(tab.Cdp, "touchStart", points[0]);
        for (int i = 1; i < points.Count; i++)
        {
            int steps = StepsBetween(points[i - 1], points[i]);
            for (int s = 1; s <= steps; s++)
            {
                double f = (double)s / steps;
                await TouchAsync(tab.Cdp, "touchMove", (points[i - 1].X + (points[i].X - points[i - 1].X) * f, points[i - 1].Y + (points[i].Y - points[i - 1].Y) * f));
            }
        }
        await TouchAsync(tab.Cdp, "touchEnd", null);
    }

    private static Task TouchAsync(ICDPSession cdp, string type, (double X, double Y)? at) =>
        cdp.SendAsync("Input.dispatchTouchEvent", new Dictionary<string, object>
        {
            ["type"] = type,
            ["touchPoints"] = at is { } p ? new object[] { new Dictionary<string, object> { ["x"] = p.X, ["y"] = p.Y } } : Array.Empty<object>(),
        });
}
