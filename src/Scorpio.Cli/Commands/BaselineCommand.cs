using System.CommandLine;
using Scorpio.Astro;
using Scorpio.Astro.Baselines;
using Scorpio.Astro.Fits;
using Scorpio.Data;

namespace Scorpio.Cli;

/// <summary>
/// `scorpio baseline ...`: the classical methods Scorpio's posteriors are compared with —
/// Richardson-Lucy and Wiener deconvolution, the JWST column-median 1/f correction, and
/// mask-and-interpolate trail removal. Logic lives in Scorpio.Astro.Baselines; outputs keep the
/// input header and record the settings.
/// </summary>
internal static class BaselineCommand
{
    public static Command Create()
    {
        var cmd = new Command("baseline", "Classical baselines: rl, wiener, column-median, interpolate.");
        cmd.Subcommands.Add(Rl());
        cmd.Subcommands.Add(Wiener());
        cmd.Subcommands.Add(ColumnMedian());
        cmd.Subcommands.Add(Interpolate());
        return cmd;
    }

    private static Option<string> ImageOption() => new("--image") { Description = "Observed image(s), FITS or .npy: (H, W), (N, H, W) or (N, C, H, W).", Required = true };
    private static Option<string> PsfOption() => new("--psf") { Description = "PSF image (FITS or .npy), centred; normalised to sum 1.", Required = true };
    private static Option<string> OutOption() => new("--out") { Description = "Output FITS.", Required = true };

    private static Command Rl()
    {
        var image = ImageOption();
        var psf = PsfOption();
        var iterations = new Option<int>("--iterations") { Description = "Richardson-Lucy iterations.", DefaultValueFactory = _ => 30 };
        var damping = new Option<double?>("--damping") { Description = "Damping threshold in data units (e.g. 3 x noise sigma); omit for plain RL." };
        var allowNegative = new Option<bool>("--allow-negative") { Description = "Keep negative values (shifted iteration) instead of clipping the data at 0." };
        var output = OutOption();
        var cmd = new Command("rl", "Richardson-Lucy deconvolution (optional damping, non-negativity).");
        foreach (var o in new Option[] { image, psf, iterations, damping, allowNegative, output }) cmd.Options.Add(o);
        cmd.MapParameters(("observed", image), ("dampingThreshold", damping));
        cmd.SetAction(p =>
        {
            OutputGuard.File(p, "--out", p.GetValue(output));
            var (y, header) = ImageInputs.ReadWithHeader(p.GetValue(image)!, "image");
            var kernel = ImageInputs.ReadPlane(p.GetValue(psf)!, "psf");
            var options = new RichardsonLucyOptions { Iterations = p.GetValue(iterations), DampingThreshold = p.GetValue(damping), NonNegative = !p.GetValue(allowNegative) };
            var x = RichardsonLucy.Deconvolve(y, kernel, options);
            header ??= new FitsHeader();
            header.Set("BASELINE", "richardson-lucy", "method");
            header.Set("RLITER", options.Iterations, "iterations");
            if (options.DampingThreshold is { } t) header.Set("RLDAMP", t, "damping threshold, data units");
            header.Set("RLNONNEG", options.NonNegative, "data clipped at 0");
            header.Set("BLPSF", Path.GetFileName(p.GetValue(psf)!), "PSF file");
            FitsFile.Write(p.GetValue(output)!, x, header);
            Console.WriteLine($"wrote Richardson-Lucy ({options.Iterations} iterations) result {string.Join("x", x.Shape)} to {p.GetValue(output)}");
            return 0;
        });
        return cmd;
    }

    private static Command Wiener()
    {
        var image = ImageOption();
        var psf = PsfOption();
        var nsr = new Option<double>("--nsr") { Description = "Noise-to-signal power ratio (larger = smoother).", DefaultValueFactory = _ => 0.01 };
        var output = OutOption();
        var cmd = new Command("wiener", "Wiener deconvolution with a constant noise-to-signal ratio.");
        foreach (var o in new Option[] { image, psf, nsr, output }) cmd.Options.Add(o);
        cmd.MapParameters(("observed", image), ("noiseToSignal", nsr));
        cmd.SetAction(p =>
        {
            OutputGuard.File(p, "--out", p.GetValue(output));
            var (y, header) = ImageInputs.ReadWithHeader(p.GetValue(image)!, "image");
            var kernel = ImageInputs.ReadPlane(p.GetValue(psf)!, "psf");
            var x = WienerDeconvolution.Deconvolve(y, kernel, p.GetValue(nsr));
            header ??= new FitsHeader();
            header.Set("BASELINE", "wiener", "method");
            header.Set("WIENNSR", p.GetValue(nsr), "noise-to-signal power ratio");
            header.Set("BLPSF", Path.GetFileName(p.GetValue(psf)!), "PSF file");
            FitsFile.Write(p.GetValue(output)!, x, header);
            Console.WriteLine($"wrote Wiener result {string.Join("x", x.Shape)} to {p.GetValue(output)}");
            return 0;
        });
        return cmd;
    }

    private static Command ColumnMedian()
    {
        var frames = new Option<string>("--frames") { Description = "Frames, FITS or .npy: an (N, H, W) time series or one (H, W) frame.", Required = true };
        var median = new Option<string?>("--median-frame") { Description = "Clean (H, W) median frame; default the per-pixel median of the frames." };
        var mask = new Option<string?>("--mask") { Description = "(H, W) trace mask, non-zero = trace; default a threshold on the median frame." };
        var threshold = new Option<double?>("--threshold") { Description = "Trace threshold on the median frame (its units); default median + 5 robust sigma." };
        var dilate = new Option<int>("--dilate") { Description = "Grow the thresholded mask by this many pixels.", DefaultValueFactory = _ => 2 };
        var axis = new Option<string>("--axis") { Description = "Stripe axis: y removes one median per column (SOSS), x one per row.", DefaultValueFactory = _ => "y" };
        var output = OutOption();
        var cmd = new Command("column-median", "JWST 1/f correction: subtract the median frame, mask traces, remove each column's median.");
        foreach (var o in new Option[] { frames, median, mask, threshold, dilate, axis, output }) cmd.Options.Add(o);
        cmd.MapParameters(("traceMask", mask), ("dilatePixels", dilate));
        cmd.SetAction(p =>
        {
            OutputGuard.File(p, "--out", p.GetValue(output));
            var (data, header) = ImageInputs.ReadWithHeader(p.GetValue(frames)!, "frames");
            ImageData? medianFrame = p.GetValue(median) is { } m ? ImageInputs.ReadPlane(m, "medianFrame") : null;
            ImageData? traceMask = p.GetValue(mask) is { } k ? ImageInputs.ReadPlane(k, "mask") : null;
            var options = new ColumnMedianOptions { Threshold = p.GetValue(threshold), DilatePixels = p.GetValue(dilate), StripeAxis = CommandInputs.ParseAxis(p.GetValue(axis)!, "--axis") };
            var corrected = ColumnMedianCorrection.Correct(data, traceMask, medianFrame, options);
            header ??= new FitsHeader();
            header.Set("BASELINE", "column-median", "1/f correction");
            header.Set("CMAXIS", options.StripeAxis.ToString().ToLowerInvariant(), "stripe axis");
            header.Set("CMMEDIAN", p.GetValue(median) is { } mm ? Path.GetFileName(mm) : "median of frames", "reference frame");
            header.Set("CMMASK", p.GetValue(mask) is { } mk ? Path.GetFileName(mk) : "threshold", "trace mask");
            if (options.Threshold is { } t) header.Set("CMTHRESH", t, "trace threshold");
            FitsFile.Write(p.GetValue(output)!, corrected, header);
            Console.WriteLine($"wrote column-median corrected frames {string.Join("x", corrected.Shape)} to {p.GetValue(output)}");
            return 0;
        });
        return cmd;
    }

    private static Command Interpolate()
    {
        var image = ImageOption();
        var mask = new Option<string>("--mask") { Description = "Mask FITS/.npy: non-zero pixels are replaced (one (H, W) mask or one per plane).", Required = true };
        var output = OutOption();
        var cmd = new Command("interpolate", "Mask-and-interpolate: replace masked pixels (e.g. satellite trails) by harmonic interpolation of their surroundings.");
        foreach (var o in new Option[] { image, mask, output }) cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            OutputGuard.File(p, "--out", p.GetValue(output));
            var (y, header) = ImageInputs.ReadWithHeader(p.GetValue(image)!, "image");
            var m = ImageInputs.ReadWithHeader(p.GetValue(mask)!, "mask").Image;
            var filled = TrailInterpolation.Fill(y, m);
            header ??= new FitsHeader();
            header.Set("BASELINE", "harmonic-interpolation", "masked pixels filled by Laplace interpolation");
            header.Set("BLMASK", Path.GetFileName(p.GetValue(mask)!), "mask file");
            FitsFile.Write(p.GetValue(output)!, filled, header);
            Console.WriteLine($"wrote interpolated image {string.Join("x", filled.Shape)} to {p.GetValue(output)}");
            return 0;
        });
        return cmd;
    }
}
