using System.CommandLine;
using Scorpio.Astro;
using Scorpio.Astro.DataTools;
using Scorpio.Astro.Fits;
using Scorpio.Astro.Simulation;
using Scorpio.Data;
using static Scorpio.Cli.CommandInputs;

namespace Scorpio.Cli;

/// <summary>
/// `scorpio simulate ...`: seeded simulators (galaxies, PSFs, detector noise, SOSS traces,
/// satellite trails) and the observation forward model. Logic lives in Scorpio.Astro.Simulation;
/// every output records the seed and settings in its FITS header.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var cmd = new Command("simulate", "Seeded simulators: galaxies, PSFs, detector noise, SOSS traces, satellite trails, mock observations.");
        cmd.Subcommands.Add(Galaxies());
        cmd.Subcommands.Add(Psf());
        cmd.Subcommands.Add(Noise());
        cmd.Subcommands.Add(Observe());
        cmd.Subcommands.Add(Trails());
        cmd.Subcommands.Add(Traces());
        return cmd;
    }

    private static Command Galaxies()
    {
        var n = new Option<int>("--n") { Description = "Number of galaxies.", Required = true };
        var size = new Option<int>("--size") { Description = "Stamp side in pixels (radii, shifts and PSF scale with it from the 64-px defaults).", DefaultValueFactory = _ => 64 };
        var bands = new Option<string?>("--bands") { Description = "Comma-separated bands, e.g. g,r,z: (N, C, H, W) output. Default r only: (N, H, W)." };
        var noise = new Option<double>("--noise-sigma") { Description = "Gaussian pixel noise, flux units (nanomaggies with zero point 22.5).", DefaultValueFactory = _ => 0.01 };
        var psf = new Option<double>("--psf-fwhm") { Description = "Moffat (beta 3.5) PSF FWHM in pixels at this stamp size; 0 = none.", DefaultValueFactory = _ => 0.0 };
        var mags = new Option<string?>("--magnitudes") { Description = "Reference-band magnitude distribution, e.g. uniform:17,20 or counts:16.5,20,0.3 (default)." };
        var radii = new Option<string?>("--radii") { Description = "Half-light radius distribution in pixels, e.g. lognormal:6.4,0.3@2.5,13 (default for 64 px)." };
        var shift = new Option<double>("--shift") { Description = "Maximum random centre shift per axis, pixels.", DefaultValueFactory = _ => 0.0 };
        var output = new Option<string>("--out") { Description = "Output FITS; the parameter table goes beside it as .csv.", Required = true };
        var cmd = new Command("galaxies", "Bulge+disk galaxies with arms, bars, clumps, colours; writes images and a CSV parameter table.");
        foreach (var o in new Option[] { n, size, bands, noise, psf, mags, radii, shift, output }) cmd.Options.Add(o);
        cmd.MapParameters(("count", n), ("magnitude", mags), ("halfLightRadius", radii), ("centreShift", shift));
        cmd.SetAction(p =>
        {
            OutputGuard.File(p, "--out", p.GetValue(output));
            OutputGuard.File(p, "--out", Path.ChangeExtension(p.GetValue(output)!, ".csv"));
            long seed = p.GetValue(GlobalOptions.Seed);
            int count = Positive(p.GetValue(n), "--n");
            var options = new GalaxySimulatorOptions().ForSize(Positive(p.GetValue(size), "--size"));
            if (p.GetValue(bands) is { } b)
                options = options with { Bands = b.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) };
            if (p.GetValue(mags) is { } m) options = options with { Magnitude = Distribution.Parse(m, "magnitude") };
            if (p.GetValue(radii) is { } r) options = options with { HalfLightRadius = Distribution.Parse(r, "halfLightRadius") };
            options = options with { NoiseSigma = p.GetValue(noise), PsfFwhm = p.GetValue(psf), CentreShift = p.GetValue(shift) };
            var result = new GalaxySimulator(options).Simulate(count, seed);
            string path = p.GetValue(output)!;
            var header = Header("galaxies", seed);
            header.Set("NGAL", count, "number of galaxies");
            header.Set("BANDS", string.Join(",", result.Bands), "bands along the C axis");
            header.Set("REFBAND", options.ReferenceBand, "band of MAGDIST");
            header.Set("MAGZP", options.ZeroPoint, "flux = 10^(-0.4 (m - MAGZP))");
            header.Set("MAGDIST", options.Magnitude.ToText(), "magnitude distribution");
            header.Set("RHDIST", options.HalfLightRadius.ToText(), "half-light radius distribution, px");
            header.Set("NOISESIG", options.NoiseSigma, "Gaussian pixel noise sigma");
            header.Set("PSFFWHM", options.PsfFwhm, "Moffat PSF FWHM, px (0 = none)");
            header.Set("SHIFTMAX", options.CentreShift, "max centre shift per axis, px");
            FitsFile.Write(path, result.Images, header);
            string csv = Path.ChangeExtension(path, ".csv");
            AtomicFile.WriteAllText(csv, result.ToCsv());
            Console.WriteLine($"wrote {count} galaxies ({string.Join("x", result.Images.Shape)}) to {path} and parameters to {csv}");
            return 0;
        });
        return cmd;
    }

    private static Command Psf()
    {
        var model = new Option<string>("--model") { Description = "gaussian | moffat | airy.", DefaultValueFactory = _ => "moffat" };
        var fwhm = new Option<double>("--fwhm") { Description = "Full width at half maximum, pixels.", Required = true };
        var size = new Option<int>("--size") { Description = "Stamp side, odd, pixels.", Required = true };
        var beta = new Option<double>("--beta") { Description = "Moffat beta.", DefaultValueFactory = _ => PsfSimulator.DefaultMoffatBeta };
        var super = new Option<int>("--supersample") { Description = "Sub-samples per pixel side (pixel integration).", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Output FITS (size x size, sum 1).", Required = true };
        var cmd = new Command("psf", "Analytic PSF stamp (Gaussian, Moffat, Airy) normalised to sum 1.");
        foreach (var o in new Option[] { model, fwhm, size, beta, super, output }) cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            OutputGuard.File(p, "--out", p.GetValue(output));
            var kind = ParsePsfModel(p.GetValue(model)!);
            var psf = PsfSimulator.Create(kind, p.GetValue(fwhm), p.GetValue(size), p.GetValue(beta), p.GetValue(super));
            var header = Header("psf", p.GetValue(GlobalOptions.Seed));
            header.Set("PSFMODEL", kind.ToString().ToLowerInvariant(), "profile");
            header.Set("PSFFWHM", p.GetValue(fwhm), "FWHM, pixels");
            if (kind == PsfModel.Moffat) header.Set("PSFBETA", p.GetValue(beta), "Moffat beta");
            header.Set("PSFSUPER", p.GetValue(super), "sub-samples per pixel side");
            FitsFile.Write(p.GetValue(output)!, psf, header);
            Console.WriteLine($"wrote {kind.ToString().ToLowerInvariant()} PSF {p.GetValue(size)}x{p.GetValue(size)} FWHM {p.GetValue(fwhm)} px to {p.GetValue(output)}");
            return 0;
        });
        return cmd;
    }

    private static Command Noise()
    {
        var kind = new Option<string>("--kind") { Description = "white | 1f | darks (darks = read noise, 1/f, amplifier offsets, cosmic rays, hot/dead pixels, epoxy voids).", DefaultValueFactory = _ => "darks" };
        var n = new Option<int>("--n") { Description = "Number of frames.", Required = true };
        var size = new Option<string>("--size") { Description = "Frame size HxW, e.g. 256x2048.", DefaultValueFactory = _ => "256x2048" };
        var read = new Option<double>("--read-noise") { Description = "White read noise sigma, DN (other effects scale with it).", DefaultValueFactory = _ => 10.0 };
        var alpha = new Option<double>("--alpha") { Description = "1/f spectral index: P(f) ~ f^-alpha.", DefaultValueFactory = _ => 1.0 };
        var axis = new Option<string>("--fast-axis") { Description = "Fast-read axis: y (columns, SOSS, vertical stripes) or x (rows).", DefaultValueFactory = _ => "y" };
        var output = new Option<string>("--out") { Description = "Output FITS cube (N, H, W).", Required = true };
        var cmd = new Command("noise", "Detector noise frames (dark read differences), DN.");
        foreach (var o in new Option[] { kind, n, size, read, alpha, axis, output }) cmd.Options.Add(o);
        cmd.MapParameters(("count", n), ("height", size), ("width", size), ("oneOverFAlpha", alpha));
        cmd.SetAction(p =>
        {
            OutputGuard.File(p, "--out", p.GetValue(output));
            long seed = p.GetValue(GlobalOptions.Seed);
            var noiseKind = ParseNoise(p.GetValue(kind)!, "--kind");
            var (h, w) = ParseSize(p.GetValue(size)!, "--size");
            var options = new DetectorNoiseOptions().WithReadNoise(p.GetValue(read)) with { OneOverFAlpha = p.GetValue(alpha), FastAxis = ParseAxis(p.GetValue(axis)!, "--fast-axis") };
            var frames = new NoiseSimulator(options).Simulate(Positive(p.GetValue(n), "--n"), h, w, noiseKind, seed);
            var header = Header("noise", seed);
            header.Set("NOISE", NoiseSimulator.KindName(noiseKind), "white | 1f | darks");
            header.Set("READNOIS", options.ReadNoise, "white read noise sigma, DN");
            header.Set("ONEFSIG", options.OneOverFSigma, "1/f RMS, DN");
            header.Set("ONEFALPH", options.OneOverFAlpha, "P(f) ~ f^-alpha");
            header.Set("FASTAXIS", options.FastAxis.ToString().ToLowerInvariant(), "fast-read axis");
            header.Set("LINEOVH", options.LineOverhead, "idle pixel-times per line");
            header.Set("BUNIT", "DN", "data unit");
            FitsFile.Write(p.GetValue(output)!, frames, header);
            Console.WriteLine($"wrote {p.GetValue(n)} {NoiseSimulator.KindName(noiseKind)} frames of {h}x{w} to {p.GetValue(output)}");
            return 0;
        });
        return cmd;
    }

    private static Command Observe()
    {
        var image = new Option<string>("--image") { Description = "True image(s), FITS or .npy: (H, W), (N, H, W) or (N, C, H, W).", Required = true };
        var psf = new Option<string?>("--psf") { Description = "PSF image (FITS or .npy) at the input pixel scale; omit for no blur." };
        var pool = new Option<int>("--pool") { Description = "Average-pooling factor K.", DefaultValueFactory = _ => 1 };
        var sigma = new Option<double>("--sigma") { Description = "Noise sigma (white) or read noise (1f, darks), image units.", Required = true };
        var model = new Option<string>("--noise-model") { Description = "white | 1f | darks.", DefaultValueFactory = _ => "white" };
        var output = new Option<string>("--out") { Description = "Output FITS; keeps the input header and records PSF, pool, sigma, seed.", Required = true };
        var cmd = new Command("observe", "Mock observation: y = pool_K(psf * x) + noise.");
        foreach (var o in new Option[] { image, psf, pool, sigma, model, output }) cmd.Options.Add(o);
        cmd.MapParameters(("readNoise", sigma));
        cmd.SetAction(p =>
        {
            OutputGuard.File(p, "--out", p.GetValue(output));
            long seed = p.GetValue(GlobalOptions.Seed);
            var (x, header) = ImageInputs.ReadWithHeader(p.GetValue(image)!, "image");
            ImageData? kernel = p.GetValue(psf) is { } psfPath ? ImageInputs.ReadPlane(psfPath, "psf") : null;
            var noise = ParseNoise(p.GetValue(model)!, "--noise-model");
            var y = Observation.Observe(x, kernel, p.GetValue(pool), p.GetValue(sigma), noise, seed);
            header ??= new FitsHeader();
            header.Set("OBSPSF", p.GetValue(psf) is { } pp ? Path.GetFileName(pp) : "none", "PSF file convolved with");
            header.Set("OBSPOOL", p.GetValue(pool), "average-pooling factor");
            header.Set("OBSSIGMA", p.GetValue(sigma), "noise sigma / read noise");
            header.Set("OBSNOISE", NoiseSimulator.KindName(noise), "noise model");
            header.Set("OBSSEED", seed, "seed of the noise");
            header.AddHistory($"scorpio simulate observe --image {Path.GetFileName(p.GetValue(image)!)} --pool {p.GetValue(pool)} --sigma {Fmt(p.GetValue(sigma))} --noise-model {NoiseSimulator.KindName(noise)} --seed {seed}");
            FitsFile.Write(p.GetValue(output)!, y, header);
            Console.WriteLine($"wrote observation {string.Join("x", y.Shape)} to {p.GetValue(output)}");
            return 0;
        });
        return cmd;
    }

    private static Command Trails()
    {
        var image = new Option<string>("--image") { Description = "Image(s) to trail, FITS or .npy.", Required = true };
        var count = new Option<string?>("--count") { Description = "Trails per image distribution, e.g. constant:1 (default) or uniform:0,3." };
        var glint = new Option<double>("--glint-probability") { Description = "Probability that a trail glints (periodic brightness).", DefaultValueFactory = _ => 0.3 };
        var snr = new Option<string?>("--peak-snr") { Description = "Peak brightness in units of the image's robust noise sigma, e.g. uniform:5,50 (default)." };
        var width = new Option<string?>("--width") { Description = "Gaussian cross-section sigma in pixels, e.g. uniform:0.8,2.5 (default); the mask covers +-3 sigma." };
        var output = new Option<string>("--out") { Description = "Output FITS with trails.", Required = true };
        var maskOut = new Option<string>("--mask-out") { Description = "Output FITS mask: 1 = pixel inside a trail footprint.", Required = true };
        var cmd = new Command("trails", "Add satellite trails (random direction, width, brightness, optional glints); write the image and the trail mask.");
        foreach (var o in new Option[] { image, count, glint, snr, width, output, maskOut }) cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            OutputGuard.File(p, "--out", p.GetValue(output));
            OutputGuard.File(p, "--mask-out", p.GetValue(maskOut));
            long seed = p.GetValue(GlobalOptions.Seed);
            var (x, header) = ImageInputs.ReadWithHeader(p.GetValue(image)!, "image");
            var options = new SatelliteTrailOptions { GlintProbability = p.GetValue(glint) };
            if (p.GetValue(count) is { } c) options = options with { Count = Distribution.Parse(c, "count") };
            if (p.GetValue(snr) is { } s) options = options with { PeakSnr = Distribution.Parse(s, "peakSnr") };
            if (p.GetValue(width) is { } wd) options = options with { Width = Distribution.Parse(wd, "width").RequirePositive("width") };
            var result = new SatelliteTrailSimulator(options).AddTrails(x, seed);
            header ??= new FitsHeader();
            header.Set("TRAILS", result.Trails.Count, "satellite trails added");
            header.Set("TRLSEED", seed, "seed of the trails");
            header.Set("TRLGLINT", options.GlintProbability, "glint probability");
            header.Set("TRLWIDTH", options.Width.ToText(), "trail sigma distribution, px");
            FitsFile.Write(p.GetValue(output)!, result.Image, header);
            var maskHeader = Header("trailmask", seed);
            maskHeader.Set("TRAILS", result.Trails.Count, "1 = inside a trail footprint");
            FitsFile.Write(p.GetValue(maskOut)!, result.Mask, maskHeader);
            Console.WriteLine($"added {result.Trails.Count} trails; wrote {p.GetValue(output)} and mask {p.GetValue(maskOut)}");
            return 0;
        });
        return cmd;
    }

    private static Command Traces()
    {
        var n = new Option<int>("--n") { Description = "Number of frames.", Required = true };
        var size = new Option<string>("--size") { Description = "Frame size HxW (NIRISS SUBSTRIP256: 256x2048).", DefaultValueFactory = _ => "256x2048" };
        var peak = new Option<double>("--peak") { Description = "Brightest order-1 pixel before the per-frame brightness factor, DN.", DefaultValueFactory = _ => 350.0 };
        var output = new Option<string>("--out") { Description = "Output FITS: primary (N, H, W) traces, CENTROID1 and SPECTRUM1 (N, W) extensions; parameters as .csv beside.", Required = true };
        var cmd = new Command("traces", "NIRISS SOSS-like spectral traces (orders 1-3) with varied shift, rotation, brightness, temperature.");
        foreach (var o in new Option[] { n, size, peak, output }) cmd.Options.Add(o);
        cmd.MapParameters(("count", n), ("height", size), ("width", size), ("peakBrightness", peak));
        cmd.SetAction(p =>
        {
            OutputGuard.File(p, "--out", p.GetValue(output));
            OutputGuard.File(p, "--out", Path.ChangeExtension(p.GetValue(output)!, ".csv"));
            long seed = p.GetValue(GlobalOptions.Seed);
            var (h, w) = ParseSize(p.GetValue(size)!, "--size");
            var options = new SossTraceOptions { Height = h, Width = w, PeakBrightness = p.GetValue(peak) };
            var result = new SossTraceSimulator(options).Simulate(Positive(p.GetValue(n), "--n"), seed);
            var header = Header("traces", seed);
            header.Set("PEAKDN", options.PeakBrightness, "brightest order-1 pixel before brightness factor");
            header.Set("TEFFDIST", options.Temperature.ToText(), "stellar temperature distribution, K");
            header.Set("BRTDIST", options.Brightness.ToText(), "brightness factor distribution");
            header.Set("BUNIT", "DN", "data unit");
            var centroidHeader = new FitsHeader();
            centroidHeader.AddComment("order-1 centroid row per column (NaN = off frame)");
            var spectrumHeader = new FitsHeader();
            spectrumHeader.AddComment("true order-1 flux per column, DN");
            FitsFile.WriteMulti(p.GetValue(output)!, new (ImageData, FitsHeader?, string?)[]
            {
                (result.Images, header, null), (result.Order1Centroids, centroidHeader, "CENTROID1"), (result.Order1Spectra, spectrumHeader, "SPECTRUM1"),
            });
            string csv = Path.ChangeExtension(p.GetValue(output)!, ".csv");
            var lines = new List<string> { "index,shift_x,shift_y,rotation_deg,brightness,temperature_k" };
            lines.AddRange(result.Parameters.Select(q => string.Join(",", q.Index, Fmt(q.ShiftX), Fmt(q.ShiftY), Fmt(q.RotationDegrees), Fmt(q.Brightness), Fmt(q.Temperature))));
            AtomicFile.WriteAllText(csv, string.Join("\n", lines) + "\n");
            Console.WriteLine($"wrote {p.GetValue(n)} traces of {h}x{w} to {p.GetValue(output)} and parameters to {csv}");
            return 0;
        });
        return cmd;
    }

    /// <summary>A fresh header recording which simulator made the file and its seed.</summary>
    internal static FitsHeader Header(string kind, long seed)
    {
        var header = new FitsHeader();
        header.Set("SIMKIND", kind, "scorpio simulate product");
        header.Set("SEED", seed, "seed of every random draw");
        header.Set("CREATOR", "scorpio", "software");
        return header;
    }

    private static PsfModel ParsePsfModel(string text) => text.Trim().ToLowerInvariant() switch
    {
        "gaussian" or "gauss" => PsfModel.Gaussian,
        "moffat" => PsfModel.Moffat,
        "airy" => PsfModel.Airy,
        _ => throw new UserInputException($"--model '{text}': use gaussian, moffat or airy"),
    };
}
