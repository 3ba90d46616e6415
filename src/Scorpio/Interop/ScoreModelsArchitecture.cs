using Scorpio.Networks;
using Scorpio.Training;

namespace Scorpio.Interop;

/// <summary>
/// What a score_models hyperparameter file describes, in Scorpio's terms: the network (its image side left at the
/// default: score_models does not record one), the SDE, which score_models layout the file follows ("0.6" or "0.5",
/// which differ in defaults and in the DDPM's time embedding) and notices about keys that were ignored.
/// </summary>
public sealed record ScoreModelsArchitecture(NetworkConfig Network, SdeConfig Sde, string Layout, IReadOnlyList<string> Notes);
