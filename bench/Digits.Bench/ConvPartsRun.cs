using System.Diagnostics;
using Digits.Tensors;

namespace Digits.Bench;

/// <summary>
/// The parts of one cnn-fast convolution layer's forward and backward for a batch of 256, on one thread, medians of 15
/// after 5 warm-up calls: the whole layer, then im2col, the three GEMMs and col2im alone, both the per-image loops and
/// the narrow-row group paths (conv2 only). Run with <c>DOTNET_TieredCompilation=0</c>, since 20 calls are too few for
/// tiered compilation to reach optimized code. Argument: <c>conv1</c> for the first layer (default: the second).
/// </summary>
internal static unsafe class ConvPartsRun
{
    public static void Print(string[] args)
    {
        if (args.Length > 0 && args[0] == "one")
        {
            PrintOneImage();
            return;
        }
        var g = new ConvolutionGeometry(24, 12, 12, 32, 3, 3, 1, 0);
        if (args.Length > 0 && args[0] == "conv1")
            g = new ConvolutionGeometry(1, 28, 28, 24, 5, 5, 1, 0);
        int batch = 256;
        WorkerPool.Threads = 1;
        var rng = new Random(1);
        float[] input = new float[batch * g.InputSize], output = new float[batch * g.OutputSize];
        float[] weight = new float[g.WeightSize], bias = new float[g.OutChannels];
        float[] dweight = new float[g.WeightSize], dbias = new float[g.OutChannels], dinput = new float[batch * g.InputSize];
        foreach (var a in new[] { input, weight, bias, output })
        {
            for (int i = 0; i < a.Length; i++)
                a[i] = (float)rng.NextDouble() - 0.5f;
        }
        float[] scratch = new float[Convolution.ScratchLength(g, batch)];
        int group = Convolution.GroupSize(g, batch);
        int width = group * g.OutputPlane;
        float[] cols = new float[g.ColumnRows * width], prod = new float[g.OutChannels * width];
        Console.WriteLine($"group {group}, width {width}");
        double T(Action act) { for (int i = 0; i < 5; i++) act(); var l = new List<double>(); for (int r = 0; r < 15; r++) { var sw = Stopwatch.StartNew(); act(); l.Add(sw.Elapsed.TotalMilliseconds); } l.Sort(); return l[l.Count / 2]; }
        int groups = batch / group;
        Console.WriteLine($"forward total      {T(() => Convolution.Forward(output, input, weight, bias, batch, g, scratch)):F3} ms");
        Console.WriteLine($"backward total     {T(() => Convolution.Backward(dinput, dweight, dbias, output, input, weight, batch, g, scratch)):F3} ms");
        fixed (float* pin = input, pc = cols, pw = weight, pp = prod, pout = output, pdi = dinput)
        {
            float* pIn = pin, pC = pc, pW = pw, pP = pp, pOut = pout, pDi = pdi;
            Console.WriteLine($"im2col x{groups}       {T(() => { for (int q = 0; q < groups; q++) for (int j = 0; j < group; j++) ImageColumns.Im2Col(pIn + (q * group + j) * g.InputSize, g.Channels, g.Height, g.Width, g.KernelHeight, g.KernelWidth, 1, 0, pC + j * g.OutputPlane, width); }):F3} ms");
            Console.WriteLine($"gemm fwd x{groups}     {T(() => { for (int q = 0; q < groups; q++) SerialGemm.Multiply(false, false, g.OutChannels, width, g.ColumnRows, 1f, pW, g.ColumnRows, pC, width, 0f, pP, width); }):F3} ms");
            Console.WriteLine($"gemm dW x{groups}      {T(() => { for (int q = 0; q < groups; q++) SerialGemm.Multiply(false, true, g.OutChannels, g.ColumnRows, width, 1f, pP, width, pC, width, 1f, pW, g.ColumnRows); }):F3} ms");
            Console.WriteLine($"gemm dX x{groups}      {T(() => { for (int q = 0; q < groups; q++) SerialGemm.Multiply(true, false, g.ColumnRows, width, g.OutChannels, 1f, pW, g.ColumnRows, pP, width, 0f, pC, width); }):F3} ms");
            if (ImageColumns.NarrowRowsApply(g.Width, g.Stride, g.Padding))
            {
                Console.WriteLine($"im2colG x{groups}      {T(() => { for (int q = 0; q < groups; q++) ImageColumns.Im2ColGroup(pIn + q * group * g.InputSize, g.InputSize, group, g.Channels, g.Height, g.Width, g.KernelHeight, g.KernelWidth, pC, width); }):F3} ms");
                Console.WriteLine($"col2imG x{groups}      {T(() => { for (int q = 0; q < groups; q++) { new Span<float>(pDi + q * group * g.InputSize, group * g.InputSize).Clear(); ImageColumns.Col2ImGroup(pC, width, group, g.Channels, g.Height, g.Width, g.KernelHeight, g.KernelWidth, pDi + q * group * g.InputSize, g.InputSize); } }):F3} ms");
            }
            Console.WriteLine($"col2im x{groups}       {T(() => { for (int q = 0; q < groups; q++) for (int j = 0; j < group; j++) { new Span<float>(pDi + (q * group + j) * g.InputSize, g.InputSize).Clear(); ImageColumns.Col2Im(pC + j * g.OutputPlane, g.Channels, g.Height, g.Width, g.KernelHeight, g.KernelWidth, 1, 0, pDi + (q * group + j) * g.InputSize, width); } }):F3} ms");
        }
        double flops = 2.0 * g.OutChannels * g.ColumnRows * g.OutputPlane * batch;
        Console.WriteLine($"one GEMM's flops {flops / 1e6:F0} MFLOP");
    }

    /// <summary>
    /// <c>conv-parts one</c>: the bundled <c>cnn</c> model's four convolutions on one image, one thread (interactive
    /// inference, as <c>digits predict</c> and <c>digits serve</c> run them): the whole layer, im2col and the GEMM
    /// alone, medians of 2,000 calls after a second of warm-up.
    /// </summary>
    private static void PrintOneImage()
    {
        const int Calls = 2000;
        WorkerPool.Threads = 1;
        ConvolutionGeometry[] layers =
        [
            new(1, 28, 28, 32, 3, 3, 1, 0), new(32, 26, 26, 32, 3, 3, 1, 0),
            new(32, 12, 12, 64, 3, 3, 1, 0), new(64, 10, 10, 64, 3, 3, 1, 0),
        ];
        var rng = new Random(1);
        foreach (var g in layers)
        {
            float[] input = Random(rng, g.InputSize), weight = Random(rng, g.WeightSize), bias = Random(rng, g.OutChannels);
            float[] output = new float[g.OutputSize], scratch = new float[Convolution.ScratchLength(g, 1)];
            float[] cols = new float[g.ColumnRows * g.OutputPlane], prod = new float[g.OutChannels * g.OutputPlane];
            fixed (float* pIn = input, pC = cols, pW = weight, pP = prod)
            {
                float* pin = pIn, pc = pC, pw = pW, pp = pP;
                double layer = PipelineRun.Median(() => Convolution.Forward(output, input, weight, bias, 1, g, scratch), Calls);
                double im2col = PipelineRun.Median(() => ImageColumns.Im2Col(pin, g.Channels, g.Height, g.Width, g.KernelHeight, g.KernelWidth, 1, 0, pc, g.OutputPlane), Calls);
                double gemm = PipelineRun.Median(() => SerialGemm.Multiply(false, false, g.OutChannels, g.OutputPlane, g.ColumnRows, 1f, pw, g.ColumnRows, pc, g.OutputPlane, 0f, pp, g.OutputPlane), Calls);
                float[] packed = new float[(g.OutputPlane + 48) * g.ColumnRows];
                double pack;
                fixed (float* pPacked = packed)
                {
                    float* pk = pPacked;
                    pack = PipelineRun.Median(() =>
                    {
                        for (int depth = 0; depth < g.ColumnRows; depth += 256)
                            GemmPacking.Pack(pc + (nint)depth * g.OutputPlane, 1, g.OutputPlane, g.OutputPlane, Math.Min(256, g.ColumnRows - depth), 48, pk);
                    }, Calls);
                }
                double flops = 2.0 * g.OutChannels * g.ColumnRows * g.OutputPlane;
                Console.WriteLine($"{g.Channels,2}x{g.Height}x{g.Width} -> {g.OutChannels}: layer {layer * 1000,6:F1} us ({flops / layer / 1e6,5:F1} GFLOP/s), " +
                    $"im2col {im2col * 1000,5:F1} us, gemm {gemm * 1000,6:F1} us ({flops / gemm / 1e6,5:F1} GFLOP/s), pack B {pack * 1000,5:F1} us");
            }
        }

        static float[] Random(Random rng, int length)
        {
            var a = new float[length];
            for (int i = 0; i < a.Length; i++)
                a[i] = (float)rng.NextDouble() - 0.5f;
            return a;
        }
    }
}
