using Digits.Persistence;

namespace Digits.Tests.Persistence;

public class ModelMetadataTests
{
    private const string File = "model.safetensors";

    internal static ModelMetadata Cnn() => new()
    {
        Kind = ModelKind.Cnn,
        Recipe = "cnn-fast",
        Labels = ModelMetadata.DigitLabels,
        Architecture = """{"layers": [{"type": "conv2d", "out": 32, "kernel": 3}, {"type": "linear", "out": 10}]}""",
        Preprocessing = new Preprocessing(Deskew: true),
        Command = "digits train cnn-fast --seed 7",
        Seed = 7,
        Metrics = """{"test_accuracy": 0.9912, "validation_accuracy": 0.9905}""",
        TrainDataSha256 = new string('a', 64),
    };

    private static Dictionary<string, string> Entries(ModelMetadata meta) => new(meta.ToDictionary());

    private static DigitsException Refused(Dictionary<string, string> entries)
    {
        var e = Assert.Throws<DigitsException>(() => ModelMetadata.FromDictionary(entries, File));
        Assert.Equal(File, e.Subject);
        return e;
    }

    [Fact]
    public void Round_trip_keeps_every_field()
    {
        var meta = Cnn() with { Parent = new string('b', 64), Seed = -3 };

        var back = ModelMetadata.FromDictionary(meta.ToDictionary(), File);

        Assert.Equal(meta, back);
        Assert.Equal(meta.Labels, back.Labels);
        Assert.True(back.Preprocessing.Deskew);
    }

    [Fact]
    public void Fields_are_stored_as_the_contract_names_them()
    {
        var entries = Cnn().ToDictionary();

        Assert.Equal("digits-model/1", entries["format"]);
        Assert.Equal("cnn", entries["kind"]);
        Assert.Equal("cnn-fast", entries["recipe"]);
        Assert.Equal("""["0","1","2","3","4","5","6","7","8","9"]""", entries["labels"]);
        Assert.Equal("""{"normalize": "mnist", "deskew": true}""", entries["preprocessing"]);
        Assert.Equal("7", entries["seed"]);
        Assert.Equal(new string('a', 64), entries["train_data_sha256"]);
        Assert.False(entries.ContainsKey("parent"));
    }

    [Fact]
    public void Null_recipe_and_parent_are_left_out_and_read_back_as_null()
    {
        var meta = Cnn() with { Kind = ModelKind.LogReg, Recipe = null };

        var entries = meta.ToDictionary();
        var back = ModelMetadata.FromDictionary(entries, File);

        Assert.False(entries.ContainsKey("recipe"));
        Assert.Null(back.Recipe);
        Assert.Null(back.Parent);
    }

    [Fact]
    public void Missing_format_is_not_a_digits_model()
    {
        var entries = Entries(Cnn());
        entries.Remove("format");
        Assert.Equal("model.safetensors: not a Digits model (no format in __metadata__)", Refused(entries).Message);
    }

    [Fact]
    public void An_unknown_version_is_refused_by_name()
    {
        var entries = Entries(Cnn());
        entries["format"] = "digits-model/9";
        Assert.Equal("unsupported model format digits-model/9, this build reads digits-model/1", Refused(entries).Problem);
    }

    [Fact]
    public void A_foreign_format_is_not_a_digits_model()
    {
        var entries = Entries(Cnn());
        entries["format"] = "pt";
        Assert.Equal("not a Digits model (format 'pt' in __metadata__)", Refused(entries).Problem);
    }

    [Fact]
    public void An_unknown_kind_lists_the_known_ones()
    {
        var entries = Entries(Cnn());
        entries["kind"] = "rnn";
        Assert.Equal("unknown model kind 'rnn', this build reads logreg, linear-svm, svm, cnn, ensemble", Refused(entries).Problem);
    }

    [Theory]
    [InlineData("architecture", "{\"layers\": [", "__metadata__ 'architecture' is not valid JSON")]
    [InlineData("metrics", "{\"test_accuracy\": }", "__metadata__ 'metrics' is not valid JSON")]
    [InlineData("metrics", "[0.99]", "__metadata__ 'metrics' must be a JSON object, found array")]
    [InlineData("labels", "[\"0\", 1]", "__metadata__ 'labels' must be a JSON array of strings")]
    [InlineData("labels", "[\"0\", \"0\"]", "__metadata__ 'labels' must be non-empty, distinct strings")]
    [InlineData("preprocessing", "{\"normalize\": \"mnist\"", "__metadata__ 'preprocessing' not valid JSON")]
    [InlineData("preprocessing", "{\"normalize\": \"zscore\", \"deskew\": false}", "__metadata__ 'preprocessing' normalize 'zscore' is unknown, this build does 'mnist'")]
    [InlineData("preprocessing", "{\"normalize\": \"mnist\", \"deskew\": \"yes\"}", "__metadata__ 'preprocessing' has no \"deskew\" boolean")]
    [InlineData("seed", "seven", "__metadata__ 'seed' is 'seven', expected an integer")]
    public void A_malformed_field_is_named(string key, string value, string problemStart)
    {
        var entries = Entries(Cnn());
        entries[key] = value;
        Assert.StartsWith(problemStart, Refused(entries).Problem);
    }

    [Theory]
    [InlineData("kind")]
    [InlineData("labels")]
    [InlineData("architecture")]
    [InlineData("preprocessing")]
    [InlineData("command")]
    [InlineData("seed")]
    [InlineData("metrics")]
    [InlineData("train_data_sha256")]
    public void A_missing_required_field_is_named(string key)
    {
        var entries = Entries(Cnn());
        entries.Remove(key);
        Assert.Equal($"__metadata__ has no '{key}'", Refused(entries).Problem);
    }

    [Fact]
    public void Keys_this_version_does_not_define_are_ignored()
    {
        var entries = Entries(Cnn());
        entries["notes"] = "added by a later tool";
        Assert.Equal(Cnn(), ModelMetadata.FromDictionary(entries, File));
    }

    [Fact]
    public void Metadata_that_would_not_load_back_is_refused_when_saving()
    {
        Assert.Throws<ArgumentException>(() => (Cnn() with { Kind = "rnn" }).ToDictionary());
        Assert.Throws<ArgumentException>(() => (Cnn() with { Metrics = "0.99" }).ToDictionary());
        Assert.Throws<ArgumentException>(() => (Cnn() with { Architecture = "{" }).ToDictionary());
        Assert.Throws<ArgumentException>(() => (Cnn() with { Labels = [] }).ToDictionary());
    }

    [Fact]
    public void Calibration_is_stored_as_the_contract_json_and_read_back()
    {
        var meta = Cnn() with { Calibration = new Calibration(1.5, 0.0125, 0.003) };

        var entries = meta.ToDictionary();
        var back = ModelMetadata.FromDictionary(entries, File);

        Assert.Equal("""{"temperature": 1.5, "ece_before": 0.0125, "ece_after": 0.003}""", entries["calibration"]);
        Assert.Equal(meta, back);
        Assert.Equal(1.5, back.Calibration!.Temperature);
    }

    [Fact]
    public void A_file_without_calibration_loads_as_uncalibrated()
    {
        var entries = Entries(Cnn());

        Assert.False(entries.ContainsKey("calibration"));
        Assert.Null(ModelMetadata.FromDictionary(entries, File).Calibration);
    }

    [Theory]
    [InlineData("""{"temperature": 0, "ece_before": 0.01, "ece_after": 0.01}""", "temperature is 0, expected 0.05 to 20")]
    [InlineData("""{"temperature": -2, "ece_before": 0.01, "ece_after": 0.01}""", "temperature is -2, expected 0.05 to 20")]
    [InlineData("""{"temperature": 1e300, "ece_before": 0.01, "ece_after": 0.01}""", "temperature is 1E+300, expected 0.05 to 20")]
    [InlineData("""{"temperature": 1.2, "ece_before": 2, "ece_after": 0.01}""", "ece_before is 2, expected 0 to 1")]
    [InlineData("""{"temperature": 1.2, "ece_before": 0.01}""", "has no \"ece_after\"")]
    [InlineData("""{"temperature": "hot", "ece_before": 0.01, "ece_after": 0.01}""", "\"temperature\" must be a number, found \"hot\"")]
    [InlineData("""{"temperature": NaN}""", "is not valid JSON")]
    [InlineData("[1.2]", "must be a JSON object, found array")]
    public void A_bad_calibration_names_the_file_and_the_field(string json, string problem)
    {
        var entries = Entries(Cnn());
        entries["calibration"] = json;

        var error = Refused(entries);

        Assert.StartsWith("__metadata__ 'calibration' " + problem, error.Problem);
    }

    [Fact]
    public void A_calibration_that_would_not_load_back_is_refused_when_saving() =>
        Assert.Throws<ArgumentException>(() => (Cnn() with { Calibration = new Calibration(double.NaN, 0, 0) }).ToDictionary());

    [Fact]
    public void Preprocessing_json_round_trips()
    {
        Assert.Equal(new Preprocessing(false), Preprocessing.Parse(new Preprocessing(false).ToJson()));
        Assert.Equal(new Preprocessing(true), Preprocessing.Parse("""{"deskew": true, "normalize": "mnist"}"""));
    }
}
