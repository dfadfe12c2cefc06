using System.Security.Cryptography;
using Digits.Data;

namespace Digits.Tests.Data;

public sealed class ContentHashTests : IDisposable
{
    private static readonly byte[] Content = SampleIdxFile.Content();
    private static readonly byte[] Gzipped = SampleIdxFile.Gzip(Content);

    private readonly string folder = Directory.CreateTempSubdirectory("digits-hash-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Sha256Hex_matches_the_FIPS_180_test_vector_for_abc()
    {
        using var abc = new MemoryStream("abc"u8.ToArray());

        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ContentHash.Sha256Hex(abc));
    }

    [Fact]
    public void Sha256OfFile_with_gunzip_hashes_the_decompressed_content()
    {
        string path = Write("labels.gz", Gzipped);

        Assert.Equal(SampleIdxFile.Sha256(Content), ContentHash.Sha256OfFile(path, gunzip: true));
    }

    [Fact]
    public void Sha256OfFile_without_gunzip_hashes_the_raw_bytes()
    {
        string path = Write("labels.gz", Gzipped);

        Assert.Equal(SampleIdxFile.Sha256(Gzipped), ContentHash.Sha256OfFile(path, gunzip: false));
    }

    [Fact]
    public void DigestOfFile_gives_the_decompressed_length()
    {
        string path = Write("labels.gz", Gzipped);

        Assert.Equal(new ContentDigest(SampleIdxFile.Sha256(Content), Content.Length), ContentHash.DigestOfFile(path, gunzip: true));
    }

    [Fact]
    public void Digest_of_a_file_spanning_several_buffers_matches_a_one_shot_hash()
    {
        var content = new byte[2 * (1 << 20) + 17];
        new Random(42).NextBytes(content);
        string path = Write("big.bin", content);

        Assert.Equal(new ContentDigest(Convert.ToHexStringLower(SHA256.HashData(content)), content.Length), ContentHash.DigestOfFile(path, gunzip: false));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.95)]
    public void A_truncated_gzip_raises_DigitsException_naming_the_file(double keptFraction)
    {
        string path = Write("cut.gz", Gzipped[..(int)(Gzipped.Length * keptFraction)]);

        var error = Assert.Throws<DigitsException>(() => ContentHash.Sha256OfFile(path, gunzip: true));

        Assert.Equal(path, error.Subject);
        Assert.StartsWith("truncated gzip stream", error.Problem);
    }

    [Fact]
    public void A_gzip_missing_its_last_byte_raises_DigitsException()
    {
        string path = Write("cut.gz", Gzipped[..^1]);

        var error = Assert.Throws<DigitsException>(() => ContentHash.Sha256OfFile(path, gunzip: true));

        Assert.Equal(path, error.Subject);
    }

    [Fact]
    public void A_file_that_is_not_gzip_raises_DigitsException_naming_the_file()
    {
        string path = Write("labels.gz", Content);

        var error = Assert.Throws<DigitsException>(() => ContentHash.Sha256OfFile(path, gunzip: true));

        Assert.Equal(path, error.Subject);
        Assert.StartsWith("not a valid gzip stream", error.Problem);
    }

    [Fact]
    public void A_gzip_with_a_wrong_crc_raises_DigitsException_naming_the_file()
    {
        var corrupt = (byte[])Gzipped.Clone();
        corrupt[^8] ^= 0xff;
        string path = Write("labels.gz", corrupt);

        var error = Assert.Throws<DigitsException>(() => ContentHash.Sha256OfFile(path, gunzip: true));

        Assert.Equal(path, error.Subject);
        Assert.StartsWith("not a valid gzip stream", error.Problem);
    }
}
