using Digits.Persistence;

namespace Digits.Tests.Persistence;

/// <summary><c>min_confidence</c> and <c>min_confidence_basis</c> in a model file's metadata (shared CONTRACT.md, "Files").</summary>
public class MinConfidenceMetadataTests
{
    private const string File = "model.safetensors";

    private static Dictionary<string, string> Entries(ModelMetadata meta) => new(meta.ToDictionary());

    [Fact]
    public void Min_confidence_and_its_basis_round_trip_exactly()
    {
        var meta = ModelMetadataTests.Cnn() with { MinConfidence = 0.9711405038833618, MinConfidenceBasis = """{"images":"val-scans","count":2000}""" };

        var entries = meta.ToDictionary();
        var back = ModelMetadata.FromDictionary(entries, File);

        Assert.Equal("0.9711405038833618", entries["min_confidence"]);
        Assert.Equal(meta, back);
        Assert.Equal(0.9711405038833618, back.MinConfidence);
        Assert.Equal(meta.MinConfidenceBasis, back.MinConfidenceBasis);
    }

    [Fact]
    public void A_file_without_min_confidence_reads_as_null_and_writes_no_key()
    {
        var entries = Entries(ModelMetadataTests.Cnn());

        var back = ModelMetadata.FromDictionary(entries, File);

        Assert.False(entries.ContainsKey("min_confidence"));
        Assert.False(entries.ContainsKey("min_confidence_basis"));
        Assert.Null(back.MinConfidence);
        Assert.Null(back.MinConfidenceBasis);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void The_ends_of_0_to_1_are_valid_thresholds(double threshold)
    {
        var meta = ModelMetadataTests.Cnn() with { MinConfidence = threshold };

        var back = ModelMetadata.FromDictionary(meta.ToDictionary(), File);

        Assert.Equal(threshold, back.MinConfidence);
    }

    [Theory]
    [InlineData("1.5", "model.safetensors: __metadata__ 'min_confidence' is 1.5, expected 0 to 1")]
    [InlineData("-0.1", "model.safetensors: __metadata__ 'min_confidence' is -0.1, expected 0 to 1")]
    [InlineData("NaN", "model.safetensors: __metadata__ 'min_confidence' is NaN, expected 0 to 1")]
    [InlineData("high", "model.safetensors: __metadata__ 'min_confidence' is 'high', expected a number from 0 to 1")]
    public void A_file_whose_min_confidence_is_not_0_to_1_is_refused_naming_the_field(string value, string message)
    {
        var entries = Entries(ModelMetadataTests.Cnn());
        entries["min_confidence"] = value;

        var e = Assert.Throws<DigitsException>(() => ModelMetadata.FromDictionary(entries, File));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void A_basis_that_is_not_a_json_object_is_refused_naming_the_field()
    {
        var entries = Entries(ModelMetadataTests.Cnn());
        entries["min_confidence_basis"] = "[1, 2]";

        var e = Assert.Throws<DigitsException>(() => ModelMetadata.FromDictionary(entries, File));

        Assert.Equal("model.safetensors: __metadata__ 'min_confidence_basis' must be a JSON object, found array", e.Message);
    }

    [Fact]
    public void Writing_a_threshold_outside_0_to_1_is_refused_before_a_file_is_made()
    {
        var meta = ModelMetadataTests.Cnn() with { MinConfidence = 1.01 };

        var e = Assert.Throws<ArgumentException>(() => meta.ToDictionary());

        Assert.Contains("min_confidence is 1.01, expected 0 to 1", e.Message);
    }
}
