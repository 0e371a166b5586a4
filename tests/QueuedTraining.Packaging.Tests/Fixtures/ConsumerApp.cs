using System.Globalization;
using System.Text;
using System.Text.Json;

namespace QueuedTraining.Packaging.Tests.Fixtures;

/// <summary>
/// A fresh console app in a folder of its own, as a user would start one: it references the packages a README tells
/// it to add (from the packed feed) and <c>AWSSDK.S3</c> beside them, its Program.cs is the README's program as written,
/// and every other C# block of the README compiles in it too. Nothing of the repository's build applies to it.
/// </summary>
internal sealed class ConsumerApp
{
    /// <summary>
    /// The AWS SDK package a data-science tool carries. This version needs AWSSDK.Core 4.1.1 or later, above the
    /// lowest version QueuedTraining.SageMaker accepts, so an exact pin on AWSSDK.Core could not restore beside it.
    /// </summary>
    public const string AwsSdkS3Version = "4.1.0.1";

    private ConsumerApp(string directory) => Directory = directory;

    public string Directory { get; }

    /// <summary>The app a README's reader writes: its packages, its program, and its other C# blocks (and those of <paramref name="alsoCompiled"/>).</summary>
    public static Task<ConsumerApp> FromReadmeAsync(PackedFeed feed, string name, ReadmeCode readme, params ReadmeCode[] alsoCompiled) =>
        FromReadmeAsync(feed, name, DefaultTargetFramework, readme, alsoCompiled);

    /// <summary>The same, for an app that targets <paramref name="targetFramework"/> (say, a .NET 8 launcher).</summary>
    public static Task<ConsumerApp> FromReadmeAsync(PackedFeed feed, string name, string targetFramework, ReadmeCode readme, params ReadmeCode[] alsoCompiled)
    {
        Assert.True(readme.Program is not null, $"{readme.Path} has no C# block marked as the program (a '<!-- Program.cs' comment right before it).");
        return CreateAsync(feed, name, readme.Packages, readme.Program, readme.ProgramUsings, [readme, .. alsoCompiled], targetFramework);
    }

    /// <summary>An app of <paramref name="packages"/> (with AWSSDK.S3 beside them) whose Program.cs is <paramref name="program"/>.</summary>
    public static Task<ConsumerApp> WithProgramAsync(PackedFeed feed, string name, IReadOnlyList<string> packages, string program) =>
        CreateAsync(feed, name, packages, program, [], []);

    /// <summary>An app that adds every package the READMEs name and compiles their C# blocks, with no program of its own.</summary>
    public static Task<ConsumerApp> SnippetsOnlyAsync(PackedFeed feed, string name, params ReadmeCode[] readmes) =>
        CreateAsync(
            feed,
            name,
            readmes.SelectMany(r => r.Packages).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            "// Only the READMEs' C# blocks (ReadmeSnippets.cs) are built here.\nreturn 0;\n",
            [],
            readmes);

    private const string DefaultTargetFramework = "net10.0";

    private static async Task<ConsumerApp> CreateAsync(
        PackedFeed feed,
        string name,
        IReadOnlyList<string> packages,
        string program,
        IEnumerable<string> usings,
        ReadmeCode[] readmes,
        string targetFramework = DefaultTargetFramework)
    {
        var sources = string.Join(", ", readmes.Select(r => r.Path));
        Assert.True(packages.Count > 0, $"{sources} name no package to add ('dotnet add package …').");
        foreach (var id in packages)
        {
            Assert.True(
                id.StartsWith("QueuedTraining.", StringComparison.Ordinal),
                $"{sources} add {id}; this test knows only our packages' versions (AWSSDK.S3 is added beside them).");
            Assert.True(File.Exists(feed.PackagePath(id)), $"{sources} tell users to add {id}, which the solution does not pack.");
        }

        var directory = Path.Combine(feed.Root, name);
        System.IO.Directory.CreateDirectory(directory);

        // Stop MSBuild and NuGet from picking up anything above the temporary folder.
        await File.WriteAllTextAsync(Path.Combine(directory, "Directory.Build.props"), "<Project />");
        await File.WriteAllTextAsync(Path.Combine(directory, "Directory.Build.targets"), "<Project />");
        await File.WriteAllTextAsync(Path.Combine(directory, "Directory.Packages.props"), "<Project />");

        // Our packages from the feed only; everything else from the machine's "nuget.org" source, as the repository does.
        await File.WriteAllTextAsync(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="packed" value="{feed.FeedDirectory}" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="packed">
                  <package pattern="QueuedTraining.*" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);

        var references = new StringBuilder();
        foreach (var id in packages)
        {
            references.AppendLine(CultureInfo.InvariantCulture, $"""    <PackageReference Include="{id}" Version="{feed.Version}" />""");
        }

        references.AppendLine(CultureInfo.InvariantCulture, $"""    <PackageReference Include="AWSSDK.S3" Version="{AwsSdkS3Version}" />""");
        await File.WriteAllTextAsync(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>{targetFramework}</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <NuGetAudit>false</NuGetAudit>
                <AssemblyName>Consumer</AssemblyName>
              </PropertyGroup>
              <ItemGroup>
            {references}  </ItemGroup>
            </Project>
            """);

        await File.WriteAllTextAsync(Path.Combine(directory, "Program.cs"), program);
        await File.WriteAllTextAsync(Path.Combine(directory, "ReadmeSnippets.cs"), Snippets(usings, readmes));
        return new ConsumerApp(directory);
    }

    /// <summary>Restores and builds; a failure shows the compiler's or NuGet's own message.</summary>
    public Task<string> BuildAsync() =>
        DotnetCli.RunCheckedAsync(Directory, "build", "-c", "Release", "-nodeReuse:false", "--disable-build-servers");

    /// <summary>Runs the built program.</summary>
    public Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        DotnetCli.RunAsync(Directory, environment, [Path.Combine("bin", "Release", DefaultTargetFramework, "Consumer.dll"), .. arguments]);

    /// <summary>The version of a package restore chose, from the assets file.</summary>
    public string ResolvedVersion(string id)
    {
        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "obj", "project.assets.json")));
        foreach (var library in assets.RootElement.GetProperty("libraries").EnumerateObject())
        {
            var slash = library.Name.IndexOf('/', StringComparison.Ordinal);
            if (string.Equals(library.Name[..slash], id, StringComparison.OrdinalIgnoreCase))
            {
                return library.Name[(slash + 1)..];
            }
        }

        throw new InvalidOperationException($"{id} was not restored.");
    }

    /// <summary>Every snippet as the body of a method whose parameters are the variables the READMEs say are in scope.</summary>
    private static string Snippets(IEnumerable<string> usings, ReadmeCode[] readmes)
    {
        var code = new StringBuilder();
        code.AppendLine("#pragma warning disable CS1998, CS8321, CS0168, CS0219, IDE0059");
        foreach (var directive in usings.Append("using Microsoft.Extensions.Configuration;").Append("using Microsoft.Extensions.DependencyInjection;").Distinct())
        {
            code.AppendLine(directive);
        }

        code.AppendLine("internal static class ReadmeSnippets");
        code.AppendLine("{");
        var n = 0;
        foreach (var readme in readmes)
        {
            foreach (var snippet in readme.Snippets)
            {
                n++;
                code.AppendLine(CultureInfo.InvariantCulture, $"    // {readme.Path}, C# block {n}");
                code.AppendLine(CultureInfo.InvariantCulture, $"    internal static async Task Snippet{n}(IServiceCollection services, IConfiguration configuration, IServiceProvider provider, CancellationToken ct)");
                code.AppendLine("    {");
                code.AppendLine(snippet);
                code.AppendLine("    }");
            }
        }

        code.AppendLine("}");
        return code.ToString();
    }
}
