using System.Text.RegularExpressions;

namespace Scorpio.Tests;

/// <summary>
/// Rules of the house that the compiler cannot check: what a model kind does is its parametrisation's business, so no
/// code in src/ asks which SDE subclass it holds (a type test, a pattern or a switch on the type).
/// </summary>
public class ArchitectureTests
{
    private static readonly Regex SdeTypeTest = new(
        @"\bis\s+(not\s+)?(Ve|Vp|SubVp|CosineVp|Edm|Ddpm)Sde\b|\bas\s+(Ve|Vp|SubVp|CosineVp|Edm|Ddpm)Sde\b|\bcase\s+(Ve|Vp|SubVp|CosineVp|Edm|Ddpm)Sde\b|^\s*(Ve|Vp|SubVp|CosineVp|Edm|Ddpm)Sde(\s+\w+)?\s*=>",
        RegexOptions.Multiline);

    [Fact]
    public void NoSourceFileTestsTheTypeOfAnSde()
    {
        var src = Path.Combine(TestPaths.RepoRoot, "src");
        var hits = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .SelectMany(f => File.ReadAllLines(f).Select((line, i) => (f, i, line)))
            .Where(x => !x.line.TrimStart().StartsWith("//") && SdeTypeTest.IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(src, x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.True(hits.Count == 0, "SDE type tests in src/:\n" + string.Join("\n", hits));
    }
}
