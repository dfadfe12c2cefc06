using Digits.Classical;
using Digits.Evaluation;
using Digits.Persistence;
using static Digits.Tests.Classical.LinearModelFixture;

namespace Digits.Tests;

public class CalibratedModelTests
{
    private static readonly Lazy<SoftmaxRegression> Fitted = new(() =>
        new SoftmaxRegressionTrainer(new SoftmaxRegressionOptions { MaxIterations = 60 }).Fit(Train));

    /// <summary>Training images the model did not see: the 2000 after the fixture's training images.</summary>
    private static readonly Lazy<Digits.Data.LabeledImages> Validation = new(() =>
        TestData.Mnist.Train.Subset([.. Enumerable.Range(Train.Count, 2000)]));

    private static string SaveWith(IPersistableModel model, Calibration? calibration, TempFolder folder)
    {
        string path = folder.File("calibrated.safetensors");
        var metadata = new ModelMetadata
        {
            Kind = model.Kind,
            Labels = model.Labels,
            Architecture = model.Architecture,
            Preprocessing = model.Preprocessing,
            Command = "test",
            Seed = 0,
            Metrics = "{}",
            TrainDataSha256 = new string('0', 64),
            Calibration = calibration,
        };
        ModelFile.Save(path, metadata, model.Tensors());
        return path;
    }

    [Fact]
    public void Calibrating_on_validation_images_lowers_their_nll_and_keeps_every_prediction()
    {
        var validation = Validation.Value;
        var (model, calibration) = Calibrator.Calibrate(Fitted.Value, validation);

        float[] before = Predict(Fitted.Value, validation), after = Predict(model, validation);

        Assert.Equal(calibration.Temperature, model.Temperature);
        Assert.NotEqual(1, calibration.Temperature);
        Assert.True(Metrics.LogLoss(validation.Labels, after, 10) <= Metrics.LogLoss(validation.Labels, before, 10));
        Assert.Equal(CalibrationError.Expected(validation.Labels, before, 10), calibration.EceBefore, 12);
        Assert.Equal(CalibrationError.Expected(validation.Labels, after, 10), calibration.EceAfter, 12);
        Assert.True(calibration.EceAfter < calibration.EceBefore, $"ECE {calibration.EceBefore} before, {calibration.EceAfter} after");
        Assert.Equal(Metrics.Accuracy(validation.Labels, before, 10), Metrics.Accuracy(validation.Labels, after, 10));
    }

    [Fact]
    public void A_file_with_calibration_loads_as_the_calibrated_model_and_saves_the_same_tensors()
    {
        var (model, calibration) = Calibrator.Calibrate(Fitted.Value, Validation.Value);
        using var folder = new TempFolder();

        var loaded = ModelLoader.Load(SaveWith(model, calibration, folder));

        var calibrated = Assert.IsType<CalibratedModel>(loaded);
        Assert.Equal(calibration.Temperature, calibrated.Temperature);
        Assert.IsType<SoftmaxRegression>(calibrated.Model);
        AssertBitIdentical(Predict(model, Test), Predict(loaded, Test));
        Assert.Equal(Fitted.Value.Tensors().Select(t => t.AsFloats().ToArray()), loaded.Tensors().Select(t => t.AsFloats().ToArray()));
    }

    [Fact]
    public void A_file_without_calibration_loads_as_the_bare_model_with_bit_identical_predictions()
    {
        using var folder = new TempFolder();

        var loaded = ModelLoader.Load(SaveWith(Fitted.Value, null, folder));

        Assert.IsType<SoftmaxRegression>(loaded);
        AssertBitIdentical(Predict(Fitted.Value, Test), Predict(loaded, Test));
    }

    [Fact]
    public void Temperatures_do_not_stack_and_stay_within_bounds()
    {
        var twice = new CalibratedModel(new CalibratedModel(Fitted.Value, 2), 3);

        Assert.Same(Fitted.Value, twice.Model);
        Assert.Equal(3, twice.Temperature);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CalibratedModel(Fitted.Value, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CalibratedModel(Fitted.Value, double.NaN));
    }
}
