using System.Text.RegularExpressions;

namespace Scorpio.Tests;

/// <summary>Relative links in README.md and docs/*.md point at files that exist (and at headings that exist, for .md anchors).</summary>
public class DocumentationLinkTests
{
    [Fact]
    public void RelativeLinksResolve()
    {
        string root = TestPaths.RepoRoot;
        var files = new[] { Path.Combine(root, "README.md") }.Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md"));
        var broken = new List<string>();
        foreach (var file in files)
        {
            string text = File.ReadAllText(file);
            foreach (Match m in Regex.Matches(text, @"\]\(([^)\s]+)\)"))
            {
                string link = m.Groups[1].Value;
                if (Regex.IsMatch(link, "^[a-z]+:")) continue;                       // http:, mailto:, ...
                int hash = link.IndexOf('#');
                string path = hash < 0 ? link : link[..hash], anchor = hash < 0 ? "" : link[(hash + 1)..];
                string target = path == "" ? file : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, path));
                string where = $"{Path.GetRelativePath(root, file)}: ({link})";
                if (!File.Exists(target) && !Directory.Exists(target)) { broken.Add(where + " -> missing"); continue; }
                if (anchor != "" && target.EndsWith(".md") && !Anchors(File.ReadAllText(target)).Contains(anchor))
                    broken.Add(where + " -> no such heading");
            }
        }
        Assert.True(broken.Count == 0, "broken documentation links:\n" + string.Join("\n", broken));
    }

    // GitHub's heading slugs: lower case, punctuation dropped, spaces to hyphens.
    private static HashSet<string> Anchors(string markdown) =>
        Regex.Matches(markdown, @"^#+ (.+)$", RegexOptions.Multiline)
            .Select(m => Regex.Replace(m.Groups[1].Value.Trim().ToLowerInvariant(), @"[^\w\- ]", "").Replace(' ', '-'))
            .ToHashSet();
}
