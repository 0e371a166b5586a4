using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using QueuedTraining.Analyzers;

namespace QueuedTraining.Client.Tests;

/// <summary>
/// The packages an application references document every parameter and result of their public API (they ship the XML
/// documentation), checked by the analyzer that fails their build, run here over their sources.
/// </summary>
public sealed class PackageDocumentationTests
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview, DocumentationMode.Diagnose);

    [Theory]
    [InlineData("QueuedTraining.Client")]
    [InlineData("QueuedTraining.Contracts")]
    [InlineData("QueuedTraining.SageMaker")]
    public async Task PublicMembers_PackageSources_DocumentEveryParameterAndResult(string project)
    {
        var directory = Path.Combine(QueuedTraining.Testing.RepositoryFiles.Root, "src", project);
        var sources = Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), ParseOptions, f))
            .ToList();
        Assert.NotEmpty(sources);

        var diagnostics = await AnalyzeAsync(project, sources);

        Assert.Empty(diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public async Task DocumentedMembersAnalyzer_SummaryOnly_ReportsEachParameterAndTheResult()
    {
        var source = CSharpSyntaxTree.ParseText(
            """
            namespace Sample;

            /// <summary>A type.</summary>
            public static class Calls
            {
                /// <summary>Adds.</summary>
                public static int Add(int left, int right) => left + right;

                /// <summary>Inherits its documentation.</summary>
                /// <inheritdoc cref="Add"/>
                public static int Sum(int left, int right) => left + right;

                /// <summary>Not in the package's API.</summary>
                internal static int Hidden(int value) => value;
            }
            """,
            ParseOptions);

        var diagnostics = await AnalyzeAsync("Sample", [source]);

        Assert.Equal(
            ["QT0001 left", "QT0001 right", "QT0002 Calls.Add(int, int)"],
            diagnostics.Select(d => d.Id + " " + d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Split('\'')[1]).Order(StringComparer.Ordinal));
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string assemblyName, IEnumerable<SyntaxTree> sources)
    {
        // The SDK's implicit usings, which the projects' sources rely on.
        var implicitUsings = CSharpSyntaxTree.ParseText(
            "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; "
            + "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;",
            ParseOptions);
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
            .Where(path => !string.Equals(Path.GetFileNameWithoutExtension(path), assemblyName, StringComparison.OrdinalIgnoreCase))
            .DistinctBy(Path.GetFileName)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            assemblyName,
            [implicitUsings, .. sources],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        // Compile errors (source generators do not run here) do not matter: the analyzer reads declarations and comments.
        return await compilation.WithAnalyzers([new DocumentedMembersAnalyzer()]).GetAnalyzerDiagnosticsAsync();
    }
}
