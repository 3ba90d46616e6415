using Scorpio.Astro;
using Scorpio.Astro.Fits;

namespace Scorpio.Eval.Experiments;

/// <summary>
/// A gnomonic (RA---TAN / DEC--TAN) FITS world coordinate system: enough to map pixels of one image onto
/// another (the HSC and HST cutouts of the deconvolution experiment). Pixel coordinates here are 0-based
/// (FITS pixel minus 1), angles in degrees. Why not a library: the project has no WCS code and these two
/// headers only use CRPIX, CRVAL and a diagonal PC/CDELT (or CD) matrix.
/// </summary>
internal sealed record TanWcs(double CrPix1, double CrPix2, double CrVal1, double CrVal2, double Cd11, double Cd12, double Cd21, double Cd22)
{
    /// <summary>Reads CRPIX/CRVAL and CD (or PC x CDELT) from a FITS header; errors when a key is missing or the projection is not TAN.</summary>
    public static TanWcs FromHeader(FitsHeader h, string source)
    {
        if (h.GetString("CTYPE1") is { } c1 && !c1.Contains("TAN")) throw new UserInputException($"{source}: CTYPE1 '{c1}' is not a TAN projection");
        double Need(string key) => h.GetDouble(key) ?? throw new UserInputException($"{source}: WCS key {key} is missing");
        double cdelt1 = h.GetDouble("CDELT1") ?? 1, cdelt2 = h.GetDouble("CDELT2") ?? 1;
        double cd11 = h.GetDouble("CD1_1") ?? (h.GetDouble("PC1_1") ?? 1) * cdelt1;
        double cd12 = h.GetDouble("CD1_2") ?? (h.GetDouble("PC1_2") ?? 0) * cdelt1;
        double cd21 = h.GetDouble("CD2_1") ?? (h.GetDouble("PC2_1") ?? 0) * cdelt2;
        double cd22 = h.GetDouble("CD2_2") ?? (h.GetDouble("PC2_2") ?? 1) * cdelt2;
        return new TanWcs(Need("CRPIX1"), Need("CRPIX2"), Need("CRVAL1"), Need("CRVAL2"), cd11, cd12, cd21, cd22);
    }

    /// <summary>Pixel scale along the first axis, arcseconds.</summary>
    public double ScaleArcsec => Math.Sqrt(Cd11 * Cd11 + Cd21 * Cd21) * 3600;

    /// <summary>(RA, Dec) in degrees of the 0-based pixel (x, y).</summary>
    public (double Ra, double Dec) PixelToWorld(double x, double y)
    {
        double dx = x + 1 - CrPix1, dy = y + 1 - CrPix2;
        double xi = Rad(Cd11 * dx + Cd12 * dy), eta = Rad(Cd21 * dx + Cd22 * dy);
        double a0 = Rad(CrVal1), d0 = Rad(CrVal2);
        double den = Math.Cos(d0) - eta * Math.Sin(d0);
        double ra = a0 + Math.Atan2(xi, den);
        double dec = Math.Atan2(Math.Sin(d0) + eta * Math.Cos(d0), Math.Sqrt(xi * xi + den * den));
        return (Deg(ra), Deg(dec));
    }

    /// <summary>0-based pixel (x, y) of the world position (RA, Dec) in degrees.</summary>
    public (double X, double Y) WorldToPixel(double raDeg, double decDeg)
    {
        double a = Rad(raDeg), d = Rad(decDeg), a0 = Rad(CrVal1), d0 = Rad(CrVal2);
        double cosc = Math.Sin(d0) * Math.Sin(d) + Math.Cos(d0) * Math.Cos(d) * Math.Cos(a - a0);
        double xi = Math.Cos(d) * Math.Sin(a - a0) / cosc;
        double eta = (Math.Cos(d0) * Math.Sin(d) - Math.Sin(d0) * Math.Cos(d) * Math.Cos(a - a0)) / cosc;
        double u = Deg(xi), v = Deg(eta);
        double det = Cd11 * Cd22 - Cd12 * Cd21;
        double dx = (Cd22 * u - Cd12 * v) / det, dy = (-Cd21 * u + Cd11 * v) / det;
        return (dx + CrPix1 - 1, dy + CrPix2 - 1);
    }

    private static double Rad(double deg) => deg * Math.PI / 180;
    private static double Deg(double rad) => rad * 180 / Math.PI;
}
