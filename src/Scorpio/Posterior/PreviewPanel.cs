using Scorpio.Torch;

namespace Scorpio.Posterior;

/// <summary>One tile of a preview: an image (C, H, W) (channel 0 is shown) and how to stretch it.</summary>
/// <param name="Label">what the tile shows (its title in the PNG).</param>
/// <param name="Image">the image, any grid.</param>
/// <param name="Stretch">"signal" (shared 0.5-99.5 percentile range of the signal tiles), "positive" (0 to its 99.5 percentile, viridis) or "symmetric" (+-its 99th percentile of |value|, blue-white-red).</param>
public sealed record PreviewPanel(string Label, Tensor Image, string Stretch = "signal");
