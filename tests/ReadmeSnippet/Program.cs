using Digits;

var model = DigitModel.LoadDefault();   // the bundled CNN: loaded once, safe to share between threads
Prediction p = model.Predict("samples/photo-3.jpg");
Console.WriteLine($"{p.StatusName}: {p.Digit}, confidence {p.Confidence:0.000000}");
foreach (var (digit, probability) in p.Top(3))
    Console.WriteLine($"  {digit}: {probability:0.000000}");

foreach (Prediction a in model.PredictBatch(["samples/canvas-5.png", "samples/blank-page.jpg"]))
    Console.WriteLine($"{a.StatusName}: {a.Digit?.ToString() ?? a.Reason}");
