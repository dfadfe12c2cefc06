namespace Digits.Tensors;

/// <summary>
/// A register-blocked micro-kernel and the cache blocking that feeds it. <see cref="GemmDriver{TKernel}"/> is
/// generic over this so the JIT compiles one specialised copy of the blocking loops per kernel.
/// </summary>
internal unsafe interface IGemmMicroKernel
{
    /// <summary>Rows of C one call computes (MR): how many A values are broadcast per depth step.</summary>
    static abstract int TileRows { get; }

    /// <summary>Columns of C one call computes (NR): the width of one packed B row.</summary>
    static abstract int TileColumns { get; }

    /// <summary>Depth of one packed block (KC): a KC×NR sliver of B stays in L1 while A slivers stream past.</summary>
    static abstract int BlockDepth { get; }

    /// <summary>Rows of one packed A block (MC, a multiple of TileRows): MC×KC floats stay in L2.</summary>
    static abstract int BlockRows { get; }

    /// <summary>Columns of one packed B block (NC, a multiple of TileColumns): KC×NC floats stay in L2/L3.</summary>
    static abstract int BlockColumns { get; }

    /// <summary>
    /// C[TileRows×TileColumns] = alpha * (packedA · packedB) + beta * C, where packedA holds TileRows values per
    /// depth step and packedB holds TileColumns values per depth step. beta == 0 never reads C.
    /// </summary>
    static abstract void Run(int depth, float* packedA, float* packedB, float* c, nint ldc, float alpha, float beta);
}
