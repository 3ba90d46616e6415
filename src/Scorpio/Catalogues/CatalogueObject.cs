using Scorpio.Posterior;

namespace Scorpio.Catalogues;

/// <summary>
/// One object of a catalogue run, as handed to the command's solver: its index and name, its observation (null for the
/// sample blocks of <c>scorpio sample</c>), the seed its draws use (<see cref="Catalogue.ObjectSeed"/>, or the run seed
/// for sample blocks), the samples [<see cref="First"/>, <see cref="First"/> + <see cref="Count"/>) for sample blocks,
/// and the folder to write its products into (a temporary folder, renamed when the solver returns).
/// </summary>
public sealed record CatalogueObject(int Index, string Name, ObservationInput? Observation, long Seed, long First, int Count, string OutDir);
