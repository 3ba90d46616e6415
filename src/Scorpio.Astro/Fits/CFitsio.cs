using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace Scorpio.Astro.Fits;

/// <summary>
/// P/Invoke bindings to cfitsio (libcfitsio.so.10). Signatures follow /usr/include/fitsio.h:
/// <c>int</c> → int, <c>LONGLONG</c> → long, <c>fitsfile*</c> → IntPtr; the LONGLONG variants are used
/// so that C <c>long</c> never appears. cfitsio is not thread-safe per handle, so every public operation
/// in <see cref="FitsFile"/> runs under <see cref="Gate"/>.
/// </summary>
internal static unsafe class CFitsio
{
    private const string Lib = "cfitsio";
    private static readonly string[] Candidates = { "libcfitsio.so.10", "libcfitsio.so", "cfitsio", "libcfitsio.dylib", "libcfitsio.10.dylib" };
    private static bool _loaded;

    /// <summary>Serialises every cfitsio call of this process.</summary>
    public static readonly object Gate = new();

    public const int TBYTE = 11, TSHORT = 21, TINT = 31, TFLOAT = 42, TLONGLONG = 81, TDOUBLE = 82;
    public const int IMAGE_HDU = 0, ASCII_TBL = 1, BINARY_TBL = 2;

    /// <summary>Installs the library resolver and checks that cfitsio loads; throws a message with the fix when it does not.</summary>
    public static void EnsureLoaded()
    {
        if (_loaded) return;
        lock (Gate)
        {
            if (_loaded) return;
            try { NativeLibrary.SetDllImportResolver(typeof(CFitsio).Assembly, Resolve); }
            catch (InvalidOperationException)
            {
                // Another part of this assembly installed a resolver first; the default probing of
                // "cfitsio" (libcfitsio.so) still applies after it declines our library name.
            }
            if (Resolve(Lib, typeof(CFitsio).Assembly, null) == IntPtr.Zero)
                throw new UserInputException($"cfitsio not found (tried {string.Join(", ", Candidates)}): install libcfitsio10 (apt-get install libcfitsio-dev)");
            _loaded = true;
        }
    }

    private static IntPtr _handle;

    private static IntPtr Resolve(string name, Assembly asm, DllImportSearchPath? path)
    {
        if (name != Lib) return IntPtr.Zero;
        if (_handle != IntPtr.Zero) return _handle;
        foreach (var c in Candidates)
            if (NativeLibrary.TryLoad(c, asm, path, out var h)) return _handle = h;
        return IntPtr.Zero;
    }

    [DllImport(Lib)] public static extern int ffdkopn(out IntPtr fptr, byte[] filename, int iomode, ref int status);
    [DllImport(Lib)] public static extern int ffdkinit(out IntPtr fptr, byte[] filename, ref int status);
    [DllImport(Lib)] public static extern int ffinit(out IntPtr fptr, byte[] filename, ref int status);
    [DllImport(Lib)] public static extern int ffclos(IntPtr fptr, ref int status);
    [DllImport(Lib)] public static extern void ffgerr(int status, byte* errtext);
    [DllImport(Lib)] public static extern int ffgmsg(byte* msg);
    [DllImport(Lib)] public static extern void ffcmsg();
    [DllImport(Lib)] public static extern int ffthdu(IntPtr fptr, out int nhdu, ref int status);
    [DllImport(Lib)] public static extern int ffmahd(IntPtr fptr, int hdunum, out int exttype, ref int status);
    [DllImport(Lib)] public static extern int ffghdt(IntPtr fptr, out int exttype, ref int status);
    [DllImport(Lib)] public static extern int ffgiprll(IntPtr fptr, int maxaxis, out int bitpix, out int naxis, long* naxes, ref int status);
    [DllImport(Lib)] public static extern int ffghsp(IntPtr fptr, out int nexist, out int nmore, ref int status);
    [DllImport(Lib)] public static extern int ffgrec(IntPtr fptr, int nrec, byte* card, ref int status);
    [DllImport(Lib)] public static extern int ffgpv(IntPtr fptr, int datatype, long firstelem, long nelem, void* nulval, void* array, out int anynul, ref int status);
    [DllImport(Lib)] public static extern int ffcrimll(IntPtr fptr, int bitpix, int naxis, long* naxes, ref int status);
    [DllImport(Lib)] public static extern int ffprec(IntPtr fptr, byte[] card, ref int status);
    [DllImport(Lib)] public static extern int ffrdef(IntPtr fptr, ref int status);
    [DllImport(Lib)] public static extern int ffpscl(IntPtr fptr, double scale, double zero, ref int status);
    [DllImport(Lib)] public static extern int ffppr(IntPtr fptr, int datatype, long firstelem, long nelem, void* array, ref int status);
    [DllImport(Lib)] public static extern int ffgnrwll(IntPtr fptr, out long nrows, ref int status);
    [DllImport(Lib)] public static extern int ffgncl(IntPtr fptr, out int ncols, ref int status);
    [DllImport(Lib)] public static extern int fits_is_compressed_image(IntPtr fptr, ref int status);

    public static byte[] CString(string s) => Encoding.UTF8.GetBytes(s + "\0");

    /// <summary>cfitsio's text for <paramref name="status"/> plus its error-message stack (emptied).</summary>
    public static string ErrorText(int status)
    {
        byte* buf = stackalloc byte[96];
        ffgerr(status, buf);
        var sb = new StringBuilder(Marshal.PtrToStringAnsi((IntPtr)buf) ?? "");
        var stack = new List<string>();
        for (int i = 0; i < 50; i++)
        {
            buf[0] = 0;
            if (ffgmsg(buf) == 0) break;
            var m = Marshal.PtrToStringAnsi((IntPtr)buf)?.Trim();
            if (!string.IsNullOrEmpty(m)) stack.Add(m);
        }
        if (stack.Count > 0) sb.Append(" [").Append(string.Join(" | ", stack)).Append(']');
        // cfitsio quotes the offending header bytes verbatim: keep them on one printable line.
        return MessageText.OneLine(sb.ToString(), 400);
    }
}
