using System.Globalization;
using Scorpio.Astro.Numerics;

namespace Scorpio.Astro.Simulation;

/// <summary>
/// A one-dimensional distribution for a simulation parameter (magnitude, size, ...), optionally
/// truncated to [Min, Max] (rejection sampling, so the shape inside the bounds is unchanged).
/// <see cref="Cdf"/> gives the truncated cumulative distribution so tests can check draws.
/// Text form for command lines: <c>uniform:16,20</c>, <c>normal:19,1</c>, <c>lognormal:6,0.3</c>,
/// <c>loguniform:2,10</c>, <c>counts:16,20,0.3</c>, <c>constant:5</c>, with optional
/// <c>@min,max</c> truncation (e.g. <c>lognormal:6,0.3@2,14</c>).
/// </summary>
public sealed record Distribution(DistributionKind Kind, double A, double B = 0, double Min = double.NegativeInfinity, double Max = double.PositiveInfinity)
{
    public static Distribution Constant(double value) => new(DistributionKind.Constant, value, 0, value, value);
    public static Distribution Uniform(double min, double max) => new(DistributionKind.Uniform, min, max, min, max);
    public static Distribution Normal(double mean, double sigma, double min = double.NegativeInfinity, double max = double.PositiveInfinity) => new(DistributionKind.Normal, mean, sigma, min, max);
    public static Distribution LogNormal(double median, double sigmaLn, double min = 0, double max = double.PositiveInfinity) => new(DistributionKind.LogNormal, median, sigmaLn, min, max);
    public static Distribution LogUniform(double min, double max) => new(DistributionKind.LogUniform, min, max, min, max);
    /// <summary>dN/dm proportional to 10^(slope m) between min and max (slope ~0.3-0.6 for faint galaxies).</summary>
    public static Distribution NumberCounts(double min, double max, double slope) => new(DistributionKind.NumberCounts, 0, slope, min, max);

    /// <summary>Checks the parameters; throws an <see cref="InvalidSettingException"/> naming <paramref name="field"/> (the parameter,
    /// e.g. <c>halfLightRadius</c>) when they are unusable.</summary>
    public Distribution Validate(string field)
    {
        void Fail(string why) => throw new InvalidSettingException(field, $"{why} (got {this.ToText()})");
        if (double.IsNaN(A) || double.IsNaN(B) || double.IsNaN(Min) || double.IsNaN(Max)) Fail("parameters must be numbers");
        if (Min > Max) Fail("Min must not exceed Max");
        switch (Kind)
        {
            case DistributionKind.Uniform when !(B >= A) || double.IsInfinity(A) || double.IsInfinity(B): Fail("uniform needs finite min <= max"); break;
            case DistributionKind.Normal when !(B >= 0): Fail("normal needs sigma >= 0"); break;
            case DistributionKind.LogNormal when !(A > 0) || !(B >= 0): Fail("lognormal needs median > 0 and sigma >= 0"); break;
            case DistributionKind.LogUniform when !(A > 0) || !(B >= A): Fail("loguniform needs 0 < min <= max"); break;
            case DistributionKind.NumberCounts when double.IsInfinity(Min) || double.IsInfinity(Max): Fail("counts needs finite min and max"); break;
        }
        if (Cdf(Max) - CdfUntruncated(Min) <= 1e-9 && Kind is DistributionKind.Normal or DistributionKind.LogNormal)
            Fail("the truncation bounds hold (almost) no probability");
        return this;
    }

    /// <summary>One draw.</summary>
    public double Sample(SeededRandom rng)
    {
        for (int attempt = 0; attempt < 10_000; attempt++)
        {
            double v = SampleUntruncated(rng);
            if (v >= Min && v <= Max) return v;
        }
        throw new InvalidOperationException($"could not draw from {ToText()} inside [{Min}, {Max}]: widen the bounds");
    }

    private double SampleUntruncated(SeededRandom rng)
    {
        switch (Kind)
        {
            case DistributionKind.Constant: return A;
            case DistributionKind.Uniform: return rng.NextDouble(A, B);
            case DistributionKind.Normal: return rng.NextGaussian(A, B);
            case DistributionKind.LogNormal: return rng.NextLogNormal(A, B);
            case DistributionKind.LogUniform: return Math.Exp(rng.NextDouble(Math.Log(A), Math.Log(B)));
            case DistributionKind.NumberCounts:
                if (Math.Abs(B) < 1e-12) return rng.NextDouble(Min, Max);
                double lo = Math.Pow(10, B * Min), hi = Math.Pow(10, B * Max);
                return Math.Log10(lo + rng.NextDouble() * (hi - lo)) / B;
            default: throw new InvalidOperationException($"unknown distribution {Kind}");
        }
    }

    /// <summary>Cumulative probability of the (truncated) distribution at x.</summary>
    public double Cdf(double x)
    {
        if (x < Min) return 0;
        if (x >= Max) return 1;
        double lo = CdfUntruncated(Min), hi = CdfUntruncated(Max);
        return hi > lo ? (CdfUntruncated(x) - lo) / (hi - lo) : (x >= A ? 1 : 0);
    }

    private double CdfUntruncated(double x)
    {
        if (double.IsNegativeInfinity(x)) return 0;
        if (double.IsPositiveInfinity(x)) return 1;
        switch (Kind)
        {
            case DistributionKind.Constant: return x >= A ? 1 : 0;
            case DistributionKind.Uniform: return B > A ? Math.Clamp((x - A) / (B - A), 0, 1) : (x >= A ? 1 : 0);
            case DistributionKind.Normal: return B > 0 ? 0.5 * (1 + SpecialFunctions.Erf((x - A) / (B * Math.Sqrt(2)))) : (x >= A ? 1 : 0);
            case DistributionKind.LogNormal:
                if (x <= 0) return 0;
                return B > 0 ? 0.5 * (1 + SpecialFunctions.Erf(Math.Log(x / A) / (B * Math.Sqrt(2)))) : (x >= A ? 1 : 0);
            case DistributionKind.LogUniform:
                if (x <= A) return 0;
                return B > A ? Math.Clamp(Math.Log(x / A) / Math.Log(B / A), 0, 1) : 1;
            case DistributionKind.NumberCounts:
                if (Math.Abs(B) < 1e-12) return Math.Clamp((x - Min) / (Max - Min), 0, 1);
                double lo = Math.Pow(10, B * Min), hi = Math.Pow(10, B * Max);
                return Math.Clamp((Math.Pow(10, B * x) - lo) / (hi - lo), 0, 1);
            default: throw new InvalidOperationException($"unknown distribution {Kind}");
        }
    }

    /// <summary>Throws unless every draw is > 0 (and &lt;= <paramref name="max"/> when given):
    /// for sizes, ratios and temperatures.</summary>
    public Distribution RequirePositive(string field, double max = double.PositiveInfinity)
    {
        if (Cdf(0) > 0) throw new InvalidSettingException(field, $"values must be > 0 but {ToText()} allows values <= 0; add bounds such as @0.1,{(double.IsInfinity(max) ? "100" : max.ToString(CultureInfo.InvariantCulture))}");
        if (Cdf(max) < 1) throw new InvalidSettingException(field, $"values must be <= {max.ToString(CultureInfo.InvariantCulture)} but {ToText()} allows larger ones");
        return this;
    }

    /// <summary>Same distribution with every length-like parameter multiplied by <paramref name="factor"/>
    /// (for rescaling size distributions to another stamp size).</summary>
    public Distribution Scaled(double factor) => Kind switch
    {
        DistributionKind.Normal => this with { A = A * factor, B = B * factor, Min = Min * factor, Max = Max * factor },
        DistributionKind.LogNormal => this with { A = A * factor, Min = Min * factor, Max = Max * factor },
        DistributionKind.NumberCounts => throw new InvalidOperationException("number counts are magnitudes; they do not scale"),
        _ => this with { A = A * factor, B = B * factor, Min = Min * factor, Max = Max * factor },
    };

    /// <summary>The text form accepted by <see cref="Parse"/>.</summary>
    public string ToText()
    {
        string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        string body = Kind switch
        {
            DistributionKind.Constant => $"constant:{F(A)}",
            DistributionKind.Uniform => $"uniform:{F(A)},{F(B)}",
            DistributionKind.Normal => $"normal:{F(A)},{F(B)}",
            DistributionKind.LogNormal => $"lognormal:{F(A)},{F(B)}",
            DistributionKind.LogUniform => $"loguniform:{F(A)},{F(B)}",
            DistributionKind.NumberCounts => $"counts:{F(Min)},{F(Max)},{F(B)}",
            _ => Kind.ToString(),
        };
        bool natural = Kind is DistributionKind.Constant or DistributionKind.Uniform or DistributionKind.LogUniform or DistributionKind.NumberCounts
            || (Kind == DistributionKind.Normal && double.IsNegativeInfinity(Min) && double.IsPositiveInfinity(Max))
            || (Kind == DistributionKind.LogNormal && Min <= 0 && double.IsPositiveInfinity(Max));
        return natural ? body : $"{body}@{F(Min)},{F(Max)}";
    }

    public override string ToString() => ToText();

    /// <summary>Parses the text form (see the type summary); errors are <see cref="InvalidSettingException"/>s naming
    /// <paramref name="field"/>, the parameter the text is for.</summary>
    public static Distribution Parse(string text, string field)
    {
        const string help = "expected e.g. uniform:16,20 | normal:19,1 | lognormal:6,0.3 | loguniform:2,10 | counts:16,20,0.3 | constant:5, optionally followed by @min,max";
        if (string.IsNullOrWhiteSpace(text)) throw new InvalidSettingException(field, $"is an empty distribution; {help}");
        string spec = text.Trim();
        double min = double.NegativeInfinity, max = double.PositiveInfinity;
        int at = spec.IndexOf('@');
        if (at >= 0)
        {
            double[] bounds;
            try { bounds = Numbers(spec[(at + 1)..]); }
            catch (FormatException) { throw new InvalidSettingException(field, $"'{text}' has non-numeric truncation bounds; {help}"); }
            if (bounds.Length != 2) throw new InvalidSettingException(field, $"'{text}' has bad truncation bounds; {help}");
            (min, max) = (bounds[0], bounds[1]);
            spec = spec[..at];
        }
        int colon = spec.IndexOf(':');
        if (colon < 0) throw new InvalidSettingException(field, $"'{text}' has no ':'; {help}");
        string name = spec[..colon].Trim().ToLowerInvariant();
        double[] p;
        try { p = Numbers(spec[(colon + 1)..]); }
        catch (FormatException) { throw new InvalidSettingException(field, $"'{text}' has a non-numeric parameter; {help}"); }
        Distribution Need(int count, Func<Distribution> make) =>
            p.Length == count ? make() : throw new InvalidSettingException(field, $"'{text}': '{name}' takes {count} numbers, got {p.Length}; {help}");
        var d = name switch
        {
            "constant" => Need(1, () => Constant(p[0])),
            "uniform" => Need(2, () => Uniform(p[0], p[1])),
            "normal" or "gaussian" => Need(2, () => Normal(p[0], p[1])),
            "lognormal" => Need(2, () => LogNormal(p[0], p[1])),
            "loguniform" => Need(2, () => LogUniform(p[0], p[1])),
            "counts" or "numbercounts" => Need(3, () => NumberCounts(p[0], p[1], p[2])),
            _ => throw new InvalidSettingException(field, $"'{text}': unknown distribution '{name}'; {help}"),
        };
        if (at >= 0) d = d with { Min = Math.Max(d.Min, min), Max = Math.Min(d.Max, max) };
        return d.Validate(field);
    }

    private static double[] Numbers(string s) =>
        s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
         .Select(t => double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
}
