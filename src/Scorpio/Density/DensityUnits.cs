namespace Scorpio.Density;

/// <summary>Units in which <see cref="DataLogLikelihood"/> reports densities.</summary>
public enum DensityUnits
{
    /// <summary>The data's own units: the normalisation's log-Jacobian is added (bits/dim then depend on the data's units).</summary>
    Physical,
    /// <summary>The model's normalised units (no Jacobian).</summary>
    Normalised,
}
