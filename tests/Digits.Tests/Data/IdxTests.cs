using System.Buffers.Binary;
using System.IO.Compression;
using Digits.Data;

namespace Digits.Tests.Data;

public class IdxTests
{
    private static IdxArray SmallImages(int count = 3, int rows = 4, int cols = 5)
    {
        var data = new byte[count * rows * cols];
        for (int i = 0; i < data.Length; i++)
            data[i] = (byte)(i * 7);
        return new IdxArray([count, rows, cols], data);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Write_then_read_round_trips_raw_and_gzipped(bool gzip)
    {
        using var tmp = new TempFolder();
        var original = SmallImages();
        string path = tmp.File(gzip ? "x-idx3-ubyte.gz" : "x-idx3-ubyte");
        IdxWriter.Write(path, original, gzip);
        var back = IdxReader.Read(path, expectedRank: 3);
        Assert.Equal(original.Shape, back.Shape);
        Assert.Equal(original.Data, back.Data);
        Assert.Single(Directory.GetFiles(tmp.Path));
    }

    [Fact]
    public void Gzip_is_detected_from_content_not_name()
    {
        using var tmp = new TempFolder();
        string path = tmp.File("plain-name");
        IdxWriter.Write(path, SmallImages(), gzip: true);
        Assert.Equal(60, IdxReader.Read(path).Data.Length);
    }

    [Fact]
    public void Truncated_pixels_name_the_file_and_the_counts()
    {
        var ms = new MemoryStream();
        IdxWriter.Write(ms, SmallImages(count: 10));
        byte[] cut = ms.ToArray()[..(16 + 37)];
        var e = Assert.Throws<DigitsException>(() => IdxReader.Read(new MemoryStream(cut), "train-images-idx3-ubyte.gz"));
        Assert.Equal("train-images-idx3-ubyte.gz: truncated, expected 200 pixel bytes, found 37", e.Message);
    }

    /// <summary>
    /// A gzip stream's values arrive in 1 MB, then in a buffer of up to 60 MB that doubles: every length on either
    /// side of those boundaries reads back exactly.
    /// </summary>
    [Theory]
    [InlineData(1 << 20)]
    [InlineData((1 << 20) + 1)]
    [InlineData(47_040_000)]
    [InlineData(60_000_000)]
    [InlineData(60_000_001)]
    public void Gzipped_values_of_any_length_read_back_exactly(int length)
    {
        var data = new byte[length];
        for (int i = 0; i < data.Length; i++)
            data[i] = (byte)(i % 251);
        var ms = new MemoryStream();
        using (var z = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
            IdxWriter.Write(z, new IdxArray([length], data));

        var back = IdxReader.Read(new MemoryStream(ms.ToArray()), "labels.gz");

        Assert.Equal([length], back.Shape);
        Assert.True(data.AsSpan().SequenceEqual(back.Data), "values differ");
    }

    [Fact]
    public void A_gzip_stream_claiming_more_than_it_holds_allocates_within_four_times_its_content_plus_64_MB()
    {
        const int held = (1 << 20) + 1000;
        var ms = new MemoryStream();
        using (var z = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        {
            var header = new byte[8];
            BinaryPrimitives.WriteUInt32BigEndian(header, 0x0801u);
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), 2_000_000_000u);
            z.Write(header);
            z.Write(new byte[held]);
        }
        byte[] file = ms.ToArray();

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DigitsException>(() => IdxReader.Read(new MemoryStream(file), "labels.gz"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal($"truncated, expected 2000000000 label bytes, found {held}", e.Problem);
        Assert.True(allocated < 4L * held + 64_000_000, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Truncated_gzip_stream_is_reported_as_such()
    {
        var ms = new MemoryStream();
        using (var z = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
            IdxWriter.Write(z, SmallImages(count: 50));
        byte[] cut = ms.ToArray()[..(int)(ms.Length / 2)];
        var e = Assert.Throws<DigitsException>(() => IdxReader.Read(new MemoryStream(cut), "a.gz"));
        Assert.StartsWith("a.gz: ", e.Message);
    }

    [Fact]
    public void Bad_magic_is_refused()
    {
        byte[] bytes = [0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0];
        var e = Assert.Throws<DigitsException>(() => IdxReader.Read(new MemoryStream(bytes), "f"));
        Assert.Contains("not an IDX file", e.Message);
    }

    [Fact]
    public void Non_byte_element_type_is_refused()
    {
        byte[] bytes = [0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0];
        var e = Assert.Throws<DigitsException>(() => IdxReader.Read(new MemoryStream(bytes), "f"));
        Assert.Contains("element type 0x0D", e.Message);
    }

    [Fact]
    public void Wrong_rank_is_refused_when_a_rank_is_expected()
    {
        var ms = new MemoryStream();
        IdxWriter.Write(ms, new IdxArray([3], [1, 2, 3]));
        ms.Position = 0;
        var e = Assert.Throws<DigitsException>(() => IdxReader.Read(ms, "labels", expectedRank: 3));
        Assert.Contains("expected an IDX array of rank 3", e.Message);
    }

    [Fact]
    public void Trailing_bytes_are_refused()
    {
        var ms = new MemoryStream();
        IdxWriter.Write(ms, new IdxArray([3], [1, 2, 3]));
        ms.WriteByte(9);
        ms.Position = 0;
        var e = Assert.Throws<DigitsException>(() => IdxReader.Read(ms, "labels"));
        Assert.Contains("data after the 3 label bytes", e.Message);
    }

    [Fact]
    public void Missing_file_names_the_path()
    {
        var e = Assert.Throws<DigitsException>(() => IdxReader.Read("/no/such/file-idx1-ubyte"));
        Assert.Equal("/no/such/file-idx1-ubyte: file not found", e.Message);
    }

    [Fact]
    public void Images_and_labels_must_have_the_same_count()
    {
        var e = Assert.Throws<DigitsException>(() =>
            LabeledImages.FromIdx(SmallImages(count: 3), "img", new IdxArray([2], [1, 2]), "lab"));
        Assert.Equal("lab: has 2 labels but img has 3 images", e.Message);
    }

    [Fact]
    public void Labels_outside_the_classes_are_refused()
    {
        var e = Assert.Throws<DigitsException>(() =>
            LabeledImages.FromIdx(SmallImages(count: 3), "img", new IdxArray([3], [1, 12, 2]), "lab"));
        Assert.Contains("label 12 at index 1", e.Message);
    }
}
