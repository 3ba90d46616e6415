using System.Text.Json.Nodes;

namespace Scorpio.Eval;

/// <summary>
/// One of the papers' experiments, reproduced at CPU scale. <see cref="Run"/> computes every number
/// (nothing is typed in by hand) and <see cref="Section"/> renders docs/RESULTS.md's section from
/// the JSON it wrote, so the document can always be regenerated from the committed results.
/// </summary>
public interface IExperiment
{
    /// <summary>Short name used on the command line and for file names, e.g. "jwst-1f".</summary>
    string Name { get; }

    /// <summary>Section title in docs/RESULTS.md.</summary>
    string Title { get; }

    /// <summary>Runs the experiment; returns its numbers, settings and figure file names (relative to ctx.FigureDir).</summary>
    JsonObject Run(ExperimentContext ctx);

    /// <summary>
    /// The Markdown section for docs/RESULTS.md from a result written by <see cref="Run"/> (the envelope
    /// from <see cref="ResultFile"/>: "results" holds what Run returned). Figures are linked as
    /// <c>{figureLink}/file.png</c>. Must say plainly where Scorpio loses to a baseline.
    /// </summary>
    string Section(JsonObject envelope, string figureLink);

    /// <summary>
    /// One line for the "at a glance" table of docs/RESULTS.md: Scorpio against the baseline, computed from the
    /// experiment's "results" object (never typed), saying plainly who wins.
    /// </summary>
    string Headline(JsonObject results);
}
