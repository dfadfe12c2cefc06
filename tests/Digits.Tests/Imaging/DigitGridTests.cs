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
        // cell = 84 px tile + 6 px gap wide; 84 + 14 px caption + 12 px gaps high; plus the outer gap.
        Assert.Equal((2 * 90 + 6, 3 * 110 + 6), (page.Width, page.Height));
        Assert.Equal(0, page[6, 6]);
        Assert.Equal(255, page[0, 0]);
    }

    [Fact]
    public void RenderPng_draws_each_caption_under_its_tile()
    {
        var withCaption = ImageDecoder.Decode(DigitGrid.RenderPng(Digits(1), ["#12: 7"], columns: 1), "a.png");
        var without = ImageDecoder.Decode(DigitGrid.RenderPng(Digits(1), [""], columns: 1), "b.png");

        static int DarkBelowTile(GrayImage page)
        {
            int dark = 0;
            for (int y = 6 + 84; y < page.Height; y++)
                for (int x = 0; x < page.Width; x++)
                    dark += page[x, y] < 128 ? 1 : 0;
            return dark;
        }
        Assert.True(DarkBelowTile(withCaption) > 50);
        Assert.Equal(0, DarkBelowTile(without));
    }

    [Fact]
    public void RenderPng_widens_cells_for_long_captions()
    {
        var page = ImageDecoder.Decode(DigitGrid.RenderPng(Digits(1), ["#12345: 7 (true 1)"], columns: 1), "c.png");

        Assert.True(page.Width > 84 + 12);
    }

    [Fact]
    public void RenderPng_needs_one_caption_per_image()
    {
        Assert.Throws<ArgumentException>(() => DigitGrid.RenderPng(Digits(2), ["only one"], columns: 2));
    }
}
