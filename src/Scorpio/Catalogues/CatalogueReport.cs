namespace Scorpio.Catalogues;

/// <summary>What one shard of a catalogue run did: objects in the shard, solved now, found done, failed (with reasons).</summary>
public sealed record CatalogueReport(Shard Shard, int First, int End, int Solved, int AlreadyDone, IReadOnlyList<(int Index, string Reason)> Failed, double Seconds)
{
    public int Objects => End - First;
}
