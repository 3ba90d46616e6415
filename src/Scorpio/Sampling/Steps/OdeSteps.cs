using Scorpio.Torch;

namespace Scorpio.Sampling;

/// <summary>
/// One step of an explicit ODE solver, dx/du = v(x, u), from u = a to u = b: Euler (first order, one evaluation of v),
/// Heun's trapezoid (second order, two) and classical Runge-Kutta 4 (four, at a, the midpoint twice and b). The samplers
/// integrate the probability-flow ODE with them in the SDE's time or in the noise level; the log-density integral runs
/// RK4 on the state (x, accumulated divergence).
/// </summary>
public static class OdeSteps
{
    /// <summary>x + v(x, a) (b - a).</summary>
    public static Tensor Euler(Func<Tensor, double, Tensor> v, Tensor x, double a, double b)
    {
        using var d = v(x, a);
        return x.Add(d, b - a);
    }

    /// <summary>x + (v(x, a) + v(x + v(x, a) h, b)) h / 2, h = b - a.</summary>
    public static Tensor Heun(Func<Tensor, double, Tensor> v, Tensor x, double a, double b)
    {
        double h = b - a;
        using var d1 = v(x, a);
        using var predicted = x.Add(d1, h);
        using var d2 = v(predicted, b);
        using var sum = d1.Add(d2);
        return x.Add(sum, h / 2);
    }

    /// <summary>Classical RK4 on one tensor.</summary>
    public static Tensor Rk4(Func<Tensor, double, Tensor> v, Tensor x, double a, double b) =>
        Rk4((y, u) => [v(y[0], u)], [x], a, b)[0];

    /// <summary>
    /// Classical RK4 on a state of several tensors (y_j), dy/du = f(y, u); runs in the caller's dispose scope and returns the
    /// new state: y + (k1 + 2 k2 + 2 k3 + k4) h / 6.
    /// </summary>
    public static Tensor[] Rk4(Func<Tensor[], double, Tensor[]> f, Tensor[] y, double a, double b)
    {
        double h = b - a, m = a + h / 2;
        Tensor[] Shift(Tensor[] k, double by) => y.Select((yj, j) => yj.Add(k[j], by)).ToArray();
        var k1 = f(y, a);
        var k2 = f(Shift(k1, h / 2), m);
        var k3 = f(Shift(k2, h / 2), m);
        var k4 = f(Shift(k3, h), b);
        return y.Select((yj, j) => yj.Add(k1[j].Add(k2[j], 2).Add(k3[j], 2).Add(k4[j]), h / 6)).ToArray();
    }
}
