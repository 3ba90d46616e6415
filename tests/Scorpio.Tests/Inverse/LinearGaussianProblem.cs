using Scorpio.Diffusion;
using Scorpio.Likelihoods;
using Scorpio.Operators;
using Scorpio.Torch;

namespace Scorpio.Tests.Inverse;

/// <summary>
/// A linear-Gaussian inverse problem in float64 dense matrices: prior N(m, C) on an image, y = A x + eta,
/// eta ~ N(0, s^2 I). Gives the closed-form posterior, the exact p_t(y | x_t) for a Gaussian prior, and the
/// Gaussian (mean, covariance) that the reverse SDE or the probability-flow ODE produces in continuous time
/// for any score that is linear in x (the "moment ODE"), used to state what the convolved-likelihood
/// approximation converges to.
/// </summary>
internal sealed class LinearGaussianProblem : IDisposable
{
    public LinearGaussianProblem(GaussianPriorScore prior, ForwardOperator op, Tensor observation, double noiseSigma)
    {
        Prior = prior;
        Operator = op;
        NoiseSigma = noiseSigma;
        Y = observation.To(DType.Float64).Reshape(-1).DetachFromDisposeScope();
        using var scope = torch.NewDisposeScope();
        long n = prior.Size;
        var eye = torch.Eye(n, DType.Float64).Reshape([n, .. op.InputShape]);
        // Column j of A is A e_j: apply to the basis and transpose.
        A = op.Apply(eye).Reshape(n, -1).MT.Contiguous().DetachFromDisposeScope();
        var cInv = torch.Inverse(prior.Covariance);
        var precision = cInv.Add(A.MT.Matmul(A).Div(noiseSigma * noiseSigma));
        PosteriorCovariance = torch.Inverse(precision).DetachFromDisposeScope();
        var rhs = cInv.Matmul(prior.Mean.Unsqueeze(1)).Add(A.MT.Matmul(Y.Unsqueeze(1)).Div(noiseSigma * noiseSigma));
        PosteriorMean = PosteriorCovariance.Matmul(rhs).Squeeze(1).DetachFromDisposeScope();
    }

    public GaussianPriorScore Prior { get; }
    public ForwardOperator Operator { get; }
    public double NoiseSigma { get; }
    public Tensor Y { get; }
    /// <summary>(m, n) dense forward matrix.</summary>
    public Tensor A { get; }
    public Tensor PosteriorMean { get; }
    public Tensor PosteriorCovariance { get; }
    public Sde Sde => Prior.Sde;

    private (Tensor U, Tensor C)? _priorEig, _postEig;
    private (Tensor E, Tensor G)? _gramEig;

    private static (Tensor, Tensor) Eig(Tensor m)
    {
        var (v, u) = torch.Eigh(m);
        return (u.DetachFromDisposeScope(), v.Clamp(0.0).DetachFromDisposeScope());
    }

    /// <summary>U diag(1 / (a c + b)) U^T for the eigendecomposition (U, c) of a symmetric matrix.</summary>
    private static Tensor InverseOf((Tensor U, Tensor C) eig, double a, double b)
    {
        using var d = eig.C.Mul(a).Add(b).Reciprocal();
        using var ud = eig.U.Mul(d);
        using var ut = eig.U.MT;
        return ud.Matmul(ut);
    }

    /// <summary>
    /// The convolved-likelihood posterior score as a linear function s(x) = -P x + q at time t:
    /// P = V_t^-1 + A^T M_t^-1 A, q = mu V_t^-1 m + mu A^T M_t^-1 y, V_t = mu^2 C + sigma^2 I, M_t = mu^2 s^2 I + sigma^2 A A^T.
    /// </summary>
    public (Tensor P, Tensor Q) ConvolvedScore(double t)
    {
        double mu = Sde.Mu(t), s = Sde.Sigma(t);
        _priorEig ??= Eig(Prior.Covariance);
        _gramEig ??= Eig(A.Matmul(A.MT));
        using var scope = torch.NewDisposeScope();
        var vInv = InverseOf(_priorEig.Value, mu * mu, s * s);
        var mInv = InverseOf(_gramEig.Value, s * s, mu * mu * NoiseSigma * NoiseSigma);
        var atm = A.MT.Matmul(mInv);
        var p = vInv.Add(atm.Matmul(A));
        var q = vInv.Matmul(Prior.Mean.Unsqueeze(1)).Mul(mu).Add(atm.Matmul(Y.Unsqueeze(1)).Mul(mu)).Squeeze(1);
        return (p.MoveToOuterDisposeScope(), q.MoveToOuterDisposeScope());
    }

    /// <summary>The exact posterior score: p_t(x_t | y) = N(mu m_post, mu^2 C_post + sigma^2 I).</summary>
    public (Tensor P, Tensor Q) ExactScore(double t)
    {
        double mu = Sde.Mu(t), s = Sde.Sigma(t);
        _postEig ??= Eig(PosteriorCovariance);
        using var scope = torch.NewDisposeScope();
        var p = InverseOf(_postEig.Value, mu * mu, s * s);
        var q = p.Matmul(PosteriorMean.Unsqueeze(1)).Mul(mu).Squeeze(1);
        return (p.MoveToOuterDisposeScope(), q.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Mean and covariance at time <paramref name="tEnd"/> of the reverse SDE (or PF-ODE) started from the SDE's
    /// prior N(0, PriorSigma^2 I) at T, for the linear score <paramref name="score"/>(t); RK4 in tau = T - t on a
    /// grid fine at small t (<paramref name="steps"/> intervals, uniform in sqrt time).
    /// Reverse SDE: dm/dtau = J m + g^2 q, dS/dtau = J S + S J^T + g^2 I, J = -(f I + g^2 P); ODE: halve g^2 in J, q and drop g^2 I.
    /// </summary>
    public (Tensor Mean, Tensor Covariance) MomentOde(Func<double, (Tensor P, Tensor Q)> score, bool ode, double tEnd, int steps = 400)
    {
        long n = Prior.Size;
        var eye = torch.Eye(n, DType.Float64);
        var mean = torch.Zeros([n], DType.Float64);
        var cov = eye.Mul(Math.Pow(Sde.PriorSigma, 2));
        double T = Sde.T;
        (Tensor dm, Tensor dS) Rate(double t, Tensor m, Tensor S)
        {
            using var scope = torch.NewDisposeScope();
            var (p, q) = score(t);
            double f = Sde.DriftCoefficient(t), g2 = Math.Pow(Sde.Diffusion(t), 2);
            double k = ode ? 0.5 : 1.0;
            var j = eye.Mul(-f).Sub(p.Mul(k * g2));
            var dm = j.Matmul(m.Unsqueeze(1)).Squeeze(1).Add(q.Mul(k * g2));
            var js = j.Matmul(S);
            var dS = js.Add(js.MT);
            if (!ode) dS = dS.Add(eye.Mul(g2));
            return (dm.MoveToOuterDisposeScope(), dS.MoveToOuterDisposeScope());
        }
        double Time(int i) => tEnd + (T - tEnd) * Math.Pow(1 - (double)i / steps, 2);
        for (int i = 0; i < steps; i++)
        {
            using var scope = torch.NewDisposeScope();
            double t0 = Time(i), t1 = Time(i + 1), h = t0 - t1; // tau step h > 0, t decreases
            var (k1m, k1s) = Rate(t0, mean, cov);
            var (k2m, k2s) = Rate(t0 - h / 2, mean.Add(k1m, h / 2), cov.Add(k1s, h / 2));
            var (k3m, k3s) = Rate(t0 - h / 2, mean.Add(k2m, h / 2), cov.Add(k2s, h / 2));
            var (k4m, k4s) = Rate(t1, mean.Add(k3m, h), cov.Add(k3s, h));
            var nm = mean.Add(k1m.Add(k2m, 2).Add(k3m, 2).Add(k4m), h / 6);
            var ns = cov.Add(k1s.Add(k2s, 2).Add(k3s, 2).Add(k4s), h / 6);
            ns = ns.Add(ns.MT).Mul(0.5);
            mean.Dispose(); cov.Dispose();
            mean = nm.DetachFromDisposeScope();
            cov = ns.DetachFromDisposeScope();
        }
        eye.Dispose();
        return (mean, cov);
    }

    /// <summary>Tweedie's denoising at tEnd applied to a Gaussian N(mean, cov) with the linear score (-P x + q): x -> (x + s^2 (-P x + q)) / mu.</summary>
    public (Tensor Mean, Tensor Covariance) Denoise((Tensor Mean, Tensor Covariance) state, (Tensor P, Tensor Q) score, double t)
    {
        using var scope = torch.NewDisposeScope();
        double mu = Sde.Mu(t), s2 = Math.Pow(Sde.Sigma(t), 2);
        long n = Prior.Size;
        var map = torch.Eye(n, DType.Float64).Sub(score.P.Mul(s2)).Div(mu);
        var mean = map.Matmul(state.Mean.Unsqueeze(1)).Squeeze(1).Add(score.Q.Mul(s2 / mu));
        var cov = map.Matmul(state.Covariance).Matmul(map.MT);
        return (mean.MoveToOuterDisposeScope(), cov.MoveToOuterDisposeScope());
    }

    public void Dispose()
    {
        Y.Dispose(); A.Dispose(); PosteriorMean.Dispose(); PosteriorCovariance.Dispose();
        foreach (var e in new[] { _priorEig, _postEig, _gramEig })
            if (e is { } v) { v.Item1.Dispose(); v.Item2.Dispose(); }
    }
}
