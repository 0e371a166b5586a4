using QueuedTraining.Contracts.Queue;
using QueuedTraining.Testing.Processes;
using QueuedTraining.Testing.Server;
using Xunit.Abstractions;

namespace QueuedTraining.OpenApi.Tests;

/// <summary>
/// Kiota (the repository's local tool) generates a C# client from the document the running service serves; a small
/// program compiled against that client calls the service through it, and what it saw is checked here.
/// </summary>
public sealed class GeneratedClientTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(4);
    private static readonly string[] KiotaAssemblies =
        ["Microsoft.Kiota.Abstractions", "Microsoft.Kiota.Http.HttpClientLibrary", "Microsoft.Kiota.Serialization.Json", "Std.UriTemplate"];

    private readonly string _workDirectory = Path.Combine(Path.GetTempPath(), "qt-kiota-" + Guid.NewGuid().ToString("N"));
    private QueueServiceHost _host = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_workDirectory);
        _host = await OpenApiService.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A build server holding a file open leaves the folder behind; not worth failing a test for.
        }
    }

    [Fact]
    public async Task GeneratedClient_SubmitGetChangeListAndErrors_CallTheServiceAndSurfaceProblems()
    {
        var name = TrainingJobs.UniqueName("kiota");
        var program = await BuildClientProgramAsync(await OpenApiService.FetchDocumentAsync(_host));

        var run = await Step("run the program", _workDirectory, "exec", program, _host.BaseUrl.ToString(), OpenApiService.AliceKey, OpenApiService.BobKey, name);
        var seen = run.Output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.Contains('=', StringComparison.Ordinal))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        string Seen(string key) => seen.TryGetValue(key, out var value) ? value : throw new Xunit.Sdk.XunitException($"The program printed no {key}:\n{run.Output}");

        Assert.Equal(name, Seen("submit.name"));
        Assert.Equal("alice", Seen("submit.owner"));
        Assert.Equal("5", Seen("submit.priority"));
        Assert.Equal(TrainingJobs.SmallPool, Seen("submit.instanceType"));
        Assert.Equal(name, Seen("get.name"));
        Assert.NotEqual(string.Empty, Seen("get.state"));
        Assert.Equal("42", Seen("patch.priority"));
        Assert.Contains(name, Seen("list.names").Split(','));
        Assert.Contains($"{TrainingJobs.SmallPool}:1", Seen("capacity.pools").Split(','));

        Assert.Equal(("404", ProblemCodes.JobNotFound), (Seen("missing.status"), Seen("missing.code")));
        Assert.Equal(("403", ProblemCodes.Forbidden), (Seen("forbidden.status"), Seen("forbidden.code")));
        Assert.Equal(("401", ProblemCodes.Unauthenticated), (Seen("unauthenticated.status"), Seen("unauthenticated.code")));
        Assert.Equal("400", Seen("invalid.status"));
        Assert.Contains("RoleArn", Seen("invalid.errorFields").Split(','));

        // The change went through the service, not only into the client's view of it.
        _host.Http.DefaultRequestHeaders.Authorization = OpenApiService.Bearer(OpenApiService.AliceKey);
        Assert.Equal(42, (await _host.GetJobAsync(name)).Priority);
    }

    /// <summary>Generates the client from <paramref name="document"/> and builds the program beside it; returns the program's path.</summary>
    private async Task<string> BuildClientProgramAsync(string document)
    {
        var documentPath = Path.Combine(_workDirectory, "openapi.json");
        await File.WriteAllTextAsync(documentPath, document);

        // The tool manifest is the repository's, so Kiota runs from there; CI restores it with `dotnet tool restore`.
        var generated = await Step("kiota generate", QueuedTraining.Testing.RepositoryFiles.Root, "tool", "run", "kiota", "generate",
            "--language", "CSharp", "--openapi", documentPath, "--output", Path.Combine(_workDirectory, "Client"),
            "--namespace-name", "QueueApi", "--class-name", "QueueApiClient", "--exclude-backward-compatible", "--clean-output",
            "--serializer", "Microsoft.Kiota.Serialization.Json.JsonSerializationWriterFactory",
            "--deserializer", "Microsoft.Kiota.Serialization.Json.JsonParseNodeFactory",
            "--structured-mime-types", "application/json", "--log-level", "Warning");

        // Kiota warns about what it cannot map faithfully (an ambiguous response, an unsupported schema): none is expected.
        Assert.DoesNotContain("warn:", generated.Output, StringComparison.Ordinal);

        WriteIsolatedProject();
        File.Copy(Path.Combine(AppContext.BaseDirectory, "ClientScenario", "Program.cs"), Path.Combine(_workDirectory, "Program.cs"));
        var outputDirectory = Path.Combine(_workDirectory, "out");
        await Step("build the program", _workDirectory, "build", "ClientScenario.csproj", "-c", "Release", "-o", outputDirectory,
            "-nodeReuse:false", "-p:UseSharedCompilation=false", "-clp:ErrorsOnly");
        return Path.Combine(outputDirectory, "ClientScenario.dll");
    }

    /// <summary>
    /// A console project outside the repository's build: empty Directory.Build/Packages files stop MSBuild looking
    /// further up, no package source is needed, and the Kiota runtime is the one this test project restored.
    /// </summary>
    private void WriteIsolatedProject()
    {
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            File.WriteAllText(Path.Combine(_workDirectory, file), "<Project />\n");
        }

        File.WriteAllText(Path.Combine(_workDirectory, "nuget.config"),
            "<configuration><packageSources><clear /></packageSources></configuration>\n");
        var references = string.Join("\n", KiotaAssemblies.Select(assembly =>
        {
            var path = Path.Combine(AppContext.BaseDirectory, assembly + ".dll");
            Assert.True(File.Exists(path), $"{path} is missing: the Kiota runtime packages must be restored with this test project.");
            return $"    <Reference Include=\"{assembly}\" HintPath=\"{path}\" />";
        }));
        File.WriteAllText(Path.Combine(_workDirectory, "ClientScenario.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
            {references}
              </ItemGroup>
            </Project>
            """);
    }

    /// <summary>The dotnet CLI for kiota and builds: kiota told to stay offline and quiet, as this machine has no internet.</summary>
    private static ChildProcessOptions KiotaOffline(string workingDirectory) =>
        ChildProcessOptions.DotnetCli(workingDirectory).WithEnvironment(new Dictionary<string, string>
        {
            ["KIOTA_TUTORIAL_ENABLED"] = "false",
            ["KIOTA_OFFLINE_ENABLED"] = "true",
            ["KIOTA_CLI_TELEMETRY_OPTOUT"] = "true",
        }) with { Timeout = StepTimeout };

    private async Task<ChildProcessResult> Step(string what, string workingDirectory, params string[] arguments)
    {
        var started = DateTime.UtcNow;
        var result = await ChildProcess.RunAsync("dotnet", arguments, KiotaOffline(workingDirectory));
        output.WriteLine($"{what}: {(DateTime.UtcNow - started).TotalSeconds:F1} s, {result}");
        Assert.True(result.ExitCode == 0, $"{what} failed (dotnet {string.Join(' ', arguments)}), {result}");
        return result;
    }
}
