using System.Runtime.InteropServices;
using SkiaSharp;

namespace Digits.Imaging;

/// <summary>
/// The few calls of Skia's C API (the <c>libSkiaSharp</c> library that SkiaSharp ships and loads) that decoding a
/// picture needs, called directly. SkiaSharp's own <see cref="SKCodec"/> and <see cref="SKData"/> wrappers register
/// every native object in a handle table, about 240 managed bytes per picture; calling the same functions without
/// them lets <see cref="ImageDecoder.DecodeInto"/> allocate nothing. The encoded bytes are wrapped, not copied: they
/// stay pinned for the codec's whole life, which ends before <see cref="Open"/>'s caller unpins them.
/// </summary>
internal static unsafe partial class NativeCodec
{
    private const string Library = "libSkiaSharp";

    /// <summary>
    /// Finds the library the way SkiaSharp does, through its assembly (its deps.json entry and any resolver it sets), so
    /// that the first Skia call of a process may be one of these, in an application or in a test host alike.
    /// </summary>
    static NativeCodec() =>
        NativeLibrary.SetDllImportResolver(typeof(NativeCodec).Assembly, (name, _, path) =>
            name == Library ? NativeLibrary.Load(name, typeof(SKData).Assembly, path) : IntPtr.Zero);

    /// <summary>Skia's <c>sk_imageinfo_t</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct ImageInfo
    {
        public IntPtr ColorSpace;
        public int Width;
        public int Height;
        public int ColorType;
        public int AlphaType;
    }

    /// <summary>Skia's <c>sk_colortype_t</c> for 8-bit RGBA (SkiaSharp's <c>SKColorTypeNative.Rgba8888</c>).</summary>
    internal const int Rgba8888 = 4;

    /// <summary>Skia's <c>sk_alphatype_t</c> for unpremultiplied alpha.</summary>
    internal const int Unpremul = (int)SKAlphaType.Unpremul;

    [LibraryImport(Library, EntryPoint = "sk_data_new_with_proc")]
    private static partial IntPtr DataWrap(void* data, nint length, void* release, void* context);

    [LibraryImport(Library, EntryPoint = "sk_data_unref")]
    private static partial void DataUnref(IntPtr data);

    [LibraryImport(Library, EntryPoint = "sk_codec_new_from_data")]
    private static partial IntPtr CodecFromData(IntPtr data);

    [LibraryImport(Library, EntryPoint = "sk_codec_destroy")]
    private static partial void CodecDestroy(IntPtr codec);

    [LibraryImport(Library, EntryPoint = "sk_codec_get_info")]
    private static partial void CodecInfo(IntPtr codec, ImageInfo* info);

    [LibraryImport(Library, EntryPoint = "sk_codec_get_origin")]
    private static partial SKEncodedOrigin CodecOrigin(IntPtr codec);

    [LibraryImport(Library, EntryPoint = "sk_codec_get_encoded_format")]
    private static partial SKEncodedImageFormat CodecFormat(IntPtr codec);

    [LibraryImport(Library, EntryPoint = "sk_codec_get_scaled_dimensions")]
    private static partial void CodecScaledSize(IntPtr codec, float scale, SKSizeI* size);

    [LibraryImport(Library, EntryPoint = "sk_codec_get_pixels")]
    private static partial SKCodecResult CodecPixels(IntPtr codec, ImageInfo* info, void* pixels, nint rowBytes, void* options);

    /// <summary>An open codec over pinned encoded bytes; dispose it before unpinning them.</summary>
    internal readonly struct Codec(IntPtr data, IntPtr codec) : IDisposable
    {
        public bool IsValid => codec != IntPtr.Zero;

        public (int Width, int Height) Size
        {
            get
            {
                ImageInfo info;
                CodecInfo(codec, &info);
                return (info.Width, info.Height);
            }
        }

        public SKEncodedOrigin Origin => CodecOrigin(codec);

        public SKEncodedImageFormat Format => CodecFormat(codec);

        /// <summary>The size the codec decodes to directly at <paramref name="scale"/> (its nearest supported one).</summary>
        public (int Width, int Height) ScaledSize(float scale)
        {
            SKSizeI size;
            CodecScaledSize(codec, scale, &size);
            return (size.Width, size.Height);
        }

        /// <summary>Decodes at <paramref name="width"/> × <paramref name="height"/> (the full size or a
        /// <see cref="ScaledSize"/>) as unpremultiplied RGBA into <paramref name="rgba"/>.</summary>
        public SKCodecResult DecodeRgba(int width, int height, Span<byte> rgba)
        {
            if (rgba.Length < width * height * 4)
                throw new ArgumentException("too small for the picture", nameof(rgba));
            var info = new ImageInfo { Width = width, Height = height, ColorType = Rgba8888, AlphaType = Unpremul };
            fixed (byte* pixels = rgba)
                return CodecPixels(codec, &info, pixels, width * 4, null);
        }

        public void Dispose()
        {
            if (codec != IntPtr.Zero)
                CodecDestroy(codec);
            if (data != IntPtr.Zero)
                DataUnref(data);
        }
    }

    /// <summary>Opens a codec over <paramref name="encoded"/>, which must stay pinned until the codec is disposed;
    /// <see cref="Codec.IsValid"/> is false when Skia recognizes no format.</summary>
    internal static Codec Open(byte* encoded, int length)
    {
        IntPtr data = DataWrap(encoded, length, null, null);
        return new Codec(data, data == IntPtr.Zero ? IntPtr.Zero : CodecFromData(data));
    }
}
