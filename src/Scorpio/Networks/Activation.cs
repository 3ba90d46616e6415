namespace Scorpio.Networks;

/// <summary>Point-wise non-linearities used by the score networks.</summary>
public enum Activation
{
    /// <summary>x sigmoid(x) ("swish"), NCSN++ and the MLP.</summary>
    SiLU,
    /// <summary>x tanh(softplus(x)), the DDPM U-Net of astroddpm.</summary>
    Mish,
    /// <summary>max(x, 0), the DDPM U-Net of Ho et al. (2020) as score_models builds it.</summary>
    ReLU,
    /// <summary>max(x, 0.2 x).</summary>
    LeakyReLU,
    /// <summary>The Gaussian error linear unit (exact form).</summary>
    GELU,
    /// <summary>x for x &gt; 0, e^x - 1 otherwise.</summary>
    ELU,
    /// <summary>tanh(x).</summary>
    Tanh,
    /// <summary>1 / (1 + e^-x).</summary>
    Sigmoid,
}
