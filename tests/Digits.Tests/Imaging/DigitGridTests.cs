using Digits.Imaging;

namespace Digits.Tests.Imaging;

public class DigitGridTests
{
    static byte[] Digits(int count)
    {
        var images = new byte[count * 784];
        for (int i = 0; i < count; i++)
            SyntheticDigits.MnistStyle(i % 10).CopyTo(images, i * 784);
        return images;
    }

    [Fact]
    public void RenderPng_lays_out_enlarged_tiles_row_by_row()
    {
        var png = DigitGrid.RenderPng(Digits(5), ["0", "1", "2", "3", "4"], columns: 2, scale: 3);

        var page = ImageDecoder.Decode(png, "grid.png");
        // cell = 84 px tile + 6 px gap wide; 84 + 6 gap + 14 px caption + 12 px gap high; plus the outer gap.
        Assert.Equal((2 * 90 + 6, 3 * 116 + 6), (page.Width, page.Height));
        Assert.Equal(0, page[6, 6]);
        Assert.Equal(255, page[0, 0]);
    }

    [Fact]
    public void RenderPng_draws_each_caption_under_its_tile()
    {
        var withCaption = ImageDecoder.Decode(DigitGrid.RenderPng(Digits(1), ["#12: 7"], columns: 1), "a.png");
        var without = ImageDecoder.Decode(DigitGrid.RenderPng(Digits(1), [""], columns: 1), "b.png");

        Assert.True(DarkRows(withCaption, 6 + 84, withCaption.Height) > 0);
        Assert.Equal(0, DarkRows(without, 6 + 84, without.Height));
    }

    [Fact]
    public void RenderPng_widens_cells_for_long_captions()
    {
        var page = ImageDecoder.Decode(DigitGrid.RenderPng(Digits(1), ["#12345: 7 (true 1)"], columns: 1), "c.png");

        Assert.True(page.Width > 84 + 12);
    }

    [Theory]
    [InlineData("#7\ntrue 1\nread 7 100%", "#8\ntrue 2\nread 3 100%")]
    [InlineData("#12345\ntrue 9\nread 4 51%", "#54321\ntrue 9\nread 4 51%")]
    [InlineData("#999\ntrue seven\nread eight 99%", "#998\ntrue eight\nread seven 99%")]
    public void Neighbouring_captions_are_at_least_two_characters_apart(string first, string second)
    {
        var page = ImageDecoder.Decode(DigitGrid.RenderPng(Digits(2), [first, second], columns: 2), "d.png");

        // Each caption is centred in its own cell, and the cells meet near the middle of the page. The captions' band
        // runs from below the tiles (6 px margin + 84 px tile + 6 px gap) to the page's bottom.
        var inked = Enumerable.Range(0, page.Width).Select(x => DarkPixels(page, x, 6 + 84 + 6, page.Height) > 0).ToArray();
        int firstEnd = Array.LastIndexOf(inked, true, page.Width / 2), secondStart = Array.IndexOf(inked, true, page.Width / 2);

        // Two characters of the 2× font are 2 × 6 × 2 = 24 px; a glyph's blank right column may add to the gap, never take from it.
        Assert.True(secondStart - firstEnd - 1 >= 22, $"captions {secondStart - firstEnd - 1} px apart");
    }

    [Fact]
    public void Each_caption_line_adds_a_text_line_of_height()
    {
        var one = DigitGrid.Measure(1, 1, 3, 6, captionLines: 1);
        var three = DigitGrid.Measure(1, 1, 3, 6, captionLines: 3);
        var page = ImageDecoder.Decode(DigitGrid.RenderPng(Digits(1), ["#1\ntrue 2\nread 3 90%"], columns: 1), "e.png");

        Assert.Equal(2 * (14 + 4), three.Height - one.Height); // 14 px per line at font scale 2, 4 px between lines
        Assert.Equal(three.Height, page.Height);
    }

    [Fact]
    public void A_heading_goes_above_the_grid_and_widens_the_page_to_fit()
    {
        string[] heading = ["A title longer than one tile", "and a legend line"];
        var page = ImageDecoder.Decode(DigitGrid.RenderPng(Digits(1), ["#0: 5"], columns: 1, heading: heading), "f.png");
        var plain = DigitGrid.Measure(1, 1, 3, "#0: 5".Length);

        Assert.Equal(DigitGrid.Measure(1, 1, 3, "#0: 5".Length, heading: heading), (page.Width, page.Height));
        // The title is 28 characters at font scale 3 (18 px each, less the last column) plus the two margins.
        Assert.Equal(28 * 18 - 3 + 12, page.Width);
        Assert.True(page.Height > plain.Height);
        Assert.True(DarkRows(page, 0, (int)(page.Height - plain.Height)) > 0);
    }

    [Fact]
    public void RenderPng_needs_one_caption_per_image()
    {
        Assert.Throws<ArgumentException>(() => DigitGrid.RenderPng(Digits(2), ["only one"], columns: 2));
    }

    static int DarkRows(GrayImage page, int top, int bottom) =>
        Enumerable.Range(top, bottom - top).Count(y => Enumerable.Range(0, page.Width).Any(x => page[x, y] < 128));

    static int DarkPixels(GrayImage page, int x, int top, int bottom) =>
        Enumerable.Range(top, bottom - top).Count(y => page[x, y] < 128);
}
