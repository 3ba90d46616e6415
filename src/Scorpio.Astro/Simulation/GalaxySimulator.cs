using Scorpio.Astro.Numerics;

namespace Scorpio.Astro.Simulation;

/// <summary>
/// Seeded simulator of galaxy stamps: Sersic bulge + exponential disk, with optional logarithmic
/// spiral arms, bars and star-forming clumps, inclination (axis ratio), position angle, colours
/// per band (bulges redder than disks), log-normal sizes, configurable magnitude distribution,
/// optional centre shifts, PSF convolution and Gaussian noise. Galaxy i draws from its own
/// stream <c>SeededRandom(seed, i)</c>, so the result depends only on (options, seed, i), not on
/// threading or on N. Images are returned with a parameter table for checking distributions.
/// </summary>
public sealed class GalaxySimulator
{
    private readonly GalaxySimulatorOptions _options;
    private readonly FftConvolver? _psf;

    /// <summary>The settings in use.</summary>
    public GalaxySimulatorOptions Options => _options;

    public GalaxySimulator(GalaxySimulatorOptions? options = null)
    {
        _options = options ?? new GalaxySimulatorOptions();
        _options.Validate();
        if (_options.PsfFwhm > 0)
        {
            // 4 FWHM each side keeps Moffat wings; never larger than the image can use.
            int psfSize = Math.Min(2 * (int)Math.Ceiling(4 * _options.PsfFwhm) + 1, 2 * _options.Size - 1);
            var psf = PsfSimulator.Create(_options.PsfModel, _options.PsfFwhm, psfSize, _options.PsfBeta, supersample: 3);
            _psf = new FftConvolver(psf, _options.Size, _options.Size);
        }
    }

    /// <summary>Simulates <paramref name="count"/> galaxies with <paramref name="seed"/>.</summary>
    public GalaxySimulationResult Simulate(int count, long seed)
    {
        if (count < 1) throw new InvalidSettingException("count", $"must be at least 1 (got {count})");
        int s = _options.Size, nb = _options.Bands.Count, hw = s * s;
        var data = new float[(long)count * nb * hw];
        var parameters = new GalaxyParameters[count];
        Parallel.For(0, count, () => new double[4][] { new double[hw], new double[hw], new double[hw], new double[hw] }, (i, _, buffers) =>
        {
            var rng = new SeededRandom(seed, i);
            var p = Draw(rng, i);
            parameters[i] = p;
            GalaxyRenderer.Render(p, s, s, buffers[0], buffers[1], buffers[2], buffers[3]);
            var planes = data.AsSpan(i * nb * hw, nb * hw);
            Combine(p, buffers, planes, nb, hw);
            if (_psf != null)
            {
                var tmp = new float[2 * hw];
                for (int b = 0; b < nb; b += 2)
                {
                    var plane = planes.Slice(b * hw, hw);
                    if (b + 1 < nb)
                    {
                        var next = planes.Slice((b + 1) * hw, hw);
                        _psf.Convolve(plane, next, tmp.AsSpan(0, hw), tmp.AsSpan(hw, hw));
                        tmp.AsSpan(hw, hw).CopyTo(next);
                    }
                    else _psf.Convolve(plane, tmp.AsSpan(0, hw));
                    tmp.AsSpan(0, hw).CopyTo(plane);
                }
            }
            if (_options.Background != 0)
                for (int j = 0; j < planes.Length; j++) planes[j] += (float)_options.Background;
            rng.AddGaussian(planes, _options.NoiseSigma);
            return buffers;
        }, _ => { });
        var shape = nb == 1 ? new[] { count, s, s } : new[] { count, nb, s, s };
        return new GalaxySimulationResult(new ImageData(data, shape), parameters, _options.Bands.ToArray(), _options, seed);
    }

    /// <summary>The parameters <see cref="Simulate"/> would draw for galaxies 0..count-1 with this
    /// seed, without rendering (catalogues, distribution checks).</summary>
    public IReadOnlyList<GalaxyParameters> DrawParameters(int count, long seed)
    {
        if (count < 1) throw new InvalidSettingException("count", $"must be at least 1 (got {count})");
        var result = new GalaxyParameters[count];
        for (int i = 0; i < count; i++) result[i] = Draw(new SeededRandom(seed, i), i);
        return result;
    }

    /// <summary>Renders the noiseless, unconvolved image of one galaxy, (C, H, W) with C = bands.</summary>
    public ImageData Render(GalaxyParameters parameters)
    {
        int s = _options.Size, nb = _options.Bands.Count, hw = s * s;
        var buffers = new[] { new double[hw], new double[hw], new double[hw], new double[hw] };
        GalaxyRenderer.Render(parameters, s, s, buffers[0], buffers[1], buffers[2], buffers[3]);
        var data = new float[nb * hw];
        Combine(parameters, buffers, data, nb, hw);
        return new ImageData(data, nb, s, s);
    }

    /// <summary>
    /// A single noiseless Sersic profile (pixel-integrated like the galaxies): total flux
    /// <paramref name="flux"/>, half-light radius <paramref name="re"/> (pixels, semi-major), index
    /// <paramref name="n"/>, axis ratio <paramref name="q"/>, position angle in degrees, centred at
    /// (<paramref name="centreX"/>, <paramref name="centreY"/>).
    /// </summary>
    public static ImageData RenderSersic(int height, int width, double centreX, double centreY, double flux, double re, double n, double q = 1, double positionAngle = 0)
    {
        if (!(re > 0) || !(n > 0) || !(q > 0 && q <= 1)) throw new ArgumentException($"Sersic needs re > 0, n > 0, 0 < q <= 1 (got re={re}, n={n}, q={q})");
        var p = new GalaxyParameters
        {
            CentreX = centreX, CentreY = centreY, Flux = flux, HalfLightRadius = re, IsElliptical = true, BulgeFraction = 1,
            BulgeSersicIndex = n, BulgeRadius = re, AxisRatio = q, BulgeAxisRatio = q, PositionAngle = positionAngle,
        };
        int hw = height * width;
        var bulge = new double[hw];
        GalaxyRenderer.Render(p, height, width, bulge, new double[hw], new double[hw], new double[hw]);
        var data = new float[hw];
        for (int i = 0; i < hw; i++) data[i] = (float)(flux * bulge[i]);
        return new ImageData(data, height, width);
    }

    private static void Combine(GalaxyParameters p, double[][] unit, Span<float> planes, int nb, int hw)
    {
        for (int b = 0; b < nb; b++)
        {
            double fb = p.BulgeFluxes[b], fd = p.DiskFluxes[b], fbar = p.BarFluxes[b], fc = p.ClumpFluxes[b];
            var plane = planes.Slice(b * hw, hw);
            for (int j = 0; j < hw; j++)
                plane[j] = (float)(fb * unit[0][j] + fd * unit[1][j] + fbar * unit[2][j] + fc * unit[3][j]);
        }
    }

    private GalaxyParameters Draw(SeededRandom rng, int index)
    {
        var o = _options;
        double magnitude = o.Magnitude.Sample(rng);
        double flux = Math.Pow(10, -0.4 * (magnitude - o.ZeroPoint));
        double halfLight = o.HalfLightRadius.Sample(rng);
        bool elliptical = rng.NextBool(o.EllipticalFraction);
        double n = o.BulgeSersicIndex.Sample(rng);
        double q = o.AxisRatio.Sample(rng);
        double pa = rng.NextDouble(0, 180);
        double cx = o.Size / 2 + (o.CentreShift > 0 ? rng.NextDouble(-o.CentreShift, o.CentreShift) : 0);
        double cy = o.Size / 2 + (o.CentreShift > 0 ? rng.NextDouble(-o.CentreShift, o.CentreShift) : 0);

        double bt, reBulge, reDisk, qBulge;
        if (elliptical)
        {
            bt = 1;
            reBulge = halfLight;
            reDisk = 0;
            qBulge = Math.Max(q, 0.5);
        }
        else
        {
            bt = o.BulgeFraction.Sample(rng);
            double ratio = o.BulgeToDiskSize.Sample(rng);
            reDisk = halfLight / SersicProfile.CompositeHalfLightRadius(bt, n, ratio);
            reBulge = ratio * reDisk;
            qBulge = Math.Max(o.BulgeAxisRatio.Sample(rng), q);
        }

        int arms = 0;
        double pitch = 0, amplitude = 0, sharpness = 1, phase = 0;
        double barFraction = 0, barLength = 0, barAngle = 0, clumpFraction = 0;
        var clumps = new List<GalaxyClump>();
        if (!elliptical && bt < 1)
        {
            if (rng.NextBool(o.SpiralProbability))
            {
                arms = o.ArmCounts[rng.NextInt(o.ArmCounts.Count)];
                pitch = o.ArmPitchDegrees.Sample(rng);
                amplitude = Math.Clamp(o.ArmAmplitude.Sample(rng), 0, 1);
                sharpness = o.ArmSharpness.Sample(rng);
                phase = rng.NextDouble(0, 2 * Math.PI);
            }
            if (rng.NextBool(o.BarProbability))
            {
                barFraction = o.BarFraction.Sample(rng);
                barLength = o.BarLength.Sample(rng) * reDisk;
                barAngle = rng.NextDouble(0, Math.PI);
            }
            if (rng.NextBool(o.ClumpProbability))
            {
                int count = Math.Max(1, (int)Math.Round(o.ClumpCount.Sample(rng)));
                clumpFraction = o.ClumpFraction.Sample(rng);
                double scale = reDisk / 1.678, total = 0;
                var (sinPa, cosPa) = Math.SinCos(pa * Math.PI / 180);
                var weights = new double[count];
                for (int c = 0; c < count; c++) total += weights[c] = rng.NextDouble(0.5, 1.5);
                for (int c = 0; c < count; c++)
                {
                    // Radius ~ Gamma(2) (the exponential disk's light distribution), kept within 2.5 r_e.
                    double r;
                    do r = -scale * Math.Log((1 - rng.NextDouble()) * (1 - rng.NextDouble()));
                    while (r > 2.5 * reDisk);
                    double theta = rng.NextDouble(0, 2 * Math.PI);
                    double major = r * Math.Cos(theta), minor = r * Math.Sin(theta) * q;
                    clumps.Add(new GalaxyClump(cx + major * cosPa - minor * sinPa, cy + major * sinPa + minor * cosPa,
                        o.ClumpSigma.Sample(rng), weights[c] / total));
                }
            }
        }
        double diskShare = Math.Max(0, 1 - barFraction - clumpFraction);

        int nb = o.Bands.Count;
        var fb = new double[nb];
        var fd = new double[nb];
        var fbar = new double[nb];
        var fc = new double[nb];
        var reference = o.Colours[o.ReferenceBand];
        for (int b = 0; b < nb; b++)
        {
            var colour = o.Colours[o.Bands[b]];
            bool isReference = string.Equals(o.Bands[b], o.ReferenceBand, StringComparison.OrdinalIgnoreCase);
            double Jitter() => isReference ? 0 : colour.Scatter * rng.NextGaussian();
            double bulgeColour = colour.BulgeOffset - reference.BulgeOffset + Jitter();
            double diskColour = colour.DiskOffset - reference.DiskOffset + Jitter();
            double clumpColour = colour.ClumpOffset - reference.ClumpOffset + Jitter();
            fb[b] = flux * bt * Math.Pow(10, -0.4 * bulgeColour);
            fd[b] = flux * (1 - bt) * diskShare * Math.Pow(10, -0.4 * diskColour);
            fbar[b] = flux * (1 - bt) * barFraction * Math.Pow(10, -0.4 * bulgeColour);
            fc[b] = flux * (1 - bt) * clumpFraction * Math.Pow(10, -0.4 * clumpColour);
        }

        return new GalaxyParameters
        {
            Index = index, CentreX = cx, CentreY = cy, Magnitude = magnitude, Flux = flux, HalfLightRadius = halfLight,
            IsElliptical = elliptical, BulgeFraction = bt, BulgeSersicIndex = n, BulgeRadius = reBulge, DiskRadius = reDisk,
            AxisRatio = q, BulgeAxisRatio = qBulge, PositionAngle = pa, ArmCount = arms, ArmPitch = pitch, ArmAmplitude = amplitude,
            ArmSharpness = sharpness, ArmPhase = phase, BarFraction = barFraction, BarLength = barLength, BarAngle = barAngle,
            ClumpFraction = clumpFraction, Clumps = clumps, BulgeFluxes = fb, DiskFluxes = fd, BarFluxes = fbar, ClumpFluxes = fc,
        };
    }
}
