using Scorpio.Diffusion;

namespace Scorpio.Tests.Diffusion;

/// <summary>score_models 0.6's cosine VP schedule, value by value (its VPSDE with schedule "cosine", beta_max 20).</summary>
public class ClippedCosineVpSdeTests
{
    [Fact]
    public void FollowsScoreModelsCosineThenLinearIntegratedBeta()
    {
        var sde = new ClippedCosineVpSde(20);
        // t_c = (2/pi) atan(20/pi) = 0.900...: beta(t) = pi tan(pi t/2) reaches 20 there.
        Assert.Equal(20, Math.PI * Math.Tan(Math.PI / 2 * sde.ClipTime), 9);
        // Below t_c, alpha_bar = cos^2(pi t / 2): mu(0.5) = cos(pi/4).
        Assert.Equal(Math.Cos(Math.PI / 4), sde.Mu(0.5), 12);
        Assert.Equal(Math.Sin(Math.PI / 4), sde.Sigma(0.5), 12);
        // Above it B = 20 t, so mu(0.95) = exp(-9.5) (score_models' primitive, discontinuous at t_c).
        Assert.Equal(Math.Exp(-9.5), sde.Mu(0.95), 15);
        Assert.Equal(20, sde.Beta(0.95));
        // Noise ratios inside the jump map to t_c.
        double inside = Math.Sqrt(Math.Exp(10.0) - 1);
        Assert.True(inside > sde.NoiseRatio(sde.ClipTime - 1e-9) && inside < sde.NoiseRatio(sde.ClipTime));
        Assert.Equal(sde.ClipTime, sde.TimeOfNoiseRatio(inside), 12);
    }
}
