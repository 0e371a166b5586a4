using System.Text.RegularExpressions;

namespace QueuedTraining.Packaging.Tests.Fixtures;

/// <summary>
/// The code of a package README as written: the packages its <c>dotnet add package</c> lines name, the C# block
/// marked as a program (the block right after a <c>&lt;!-- Program.cs</c> comment) and every other C# block.
/// </summary>
internal sealed partial class ReadmeCode
{
    private const string ProgramMarker = "<!-- Program.cs";

    private ReadmeCode(string path, IReadOnlyList<string> packages, string? program, IReadOnlyList<string> snippets)
    {
        Path = path;
        Packages = packages;
        Program = program;
        Snippets = snippets;
    }

    public string Path { get; }

    /// <summary>The package ids of the README's <c>dotnet add package</c> lines, in order.</summary>
    public IReadOnlyList<string> Packages { get; }

    /// <summary>The complete program, or null when the README has none.</summary>
    public string? Program { get; }

    /// <summary>The other C# blocks: statements that assume <c>services</c>, <c>configuration</c>, <c>provider</c> and <c>ct</c>.</summary>
    public IReadOnlyList<string> Snippets { get; }

    /// <summary>The <c>using</c> directives of the program.</summary>
    public IEnumerable<string> ProgramUsings =>
        (Program ?? string.Empty).Split('\n').Select(l => l.Trim()).Where(l => UsingDirective().IsMatch(l));

    public static ReadmeCode Read(string path)
    {
        var lines = File.ReadAllLines(path);
        var packages = new List<string>();
        var snippets = new List<string>();
        string? program = null;
        var previous = string.Empty;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (AddPackage().Match(line) is { Success: true } add)
            {
                packages.Add(add.Groups["id"].Value);
            }

            var fence = Fence().Match(line);
            if (!fence.Success)
            {
                if (line.Trim().Length > 0)
                {
                    previous = line.Trim();
                }

                continue;
            }

            // A fenced block: collect it up to its closing fence, which is at least as long and of the same character.
            var marker = fence.Groups["fence"].Value;
            var body = new List<string>();
            for (i++; i < lines.Length && !lines[i].TrimStart().StartsWith(marker, StringComparison.Ordinal); i++)
            {
                body.Add(lines[i]);
            }

            var language = fence.Groups["info"].Value.Split(' ', 2)[0].ToLowerInvariant();
            if (language is "csharp" or "cs" or "c#")
            {
                var code = string.Join('\n', body);
                if (previous.StartsWith(ProgramMarker, StringComparison.Ordinal))
                {
                    Assert.True(program is null, $"{path} marks more than one C# block as Program.cs.");
                    program = code;
                }
                else
                {
                    snippets.Add(code);
                }
            }
            else
            {
                // Shell blocks name packages too; other languages are not built.
                foreach (var shellLine in body)
                {
                    if (AddPackage().Match(shellLine) is { Success: true } shellAdd)
                    {
                        packages.Add(shellAdd.Groups["id"].Value);
                    }
                }
            }

            previous = string.Empty;
        }

        return new ReadmeCode(path, packages.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), program, snippets);
    }

    [GeneratedRegex(@"^\s*(?<fence>```+|~~~+)\s*(?<info>[^`]*)$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"dotnet add package (?<id>[A-Za-z0-9_.-]+)")]
    private static partial Regex AddPackage();

    [GeneratedRegex(@"^using [A-Za-z0-9_.]+;$")]
    private static partial Regex UsingDirective();
}
