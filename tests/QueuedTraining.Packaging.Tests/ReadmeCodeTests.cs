using QueuedTraining.Packaging.Tests.Fixtures;

namespace QueuedTraining.Packaging.Tests;

/// <summary>How a README's code is read: whatever prose around it changes, the marked block is the program.</summary>
public sealed class ReadmeCodeTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"qt-readme-{Guid.NewGuid():N}.md");

    [Fact]
    public void Read_ReadmeWithMarkedBlock_SplitsProgramSnippetsAndPackages()
    {
        File.WriteAllText(_path, """
            # A package

            Install `dotnet add package QueuedTraining.Client` or:

            ```sh
            dotnet add package QueuedTraining.SageMaker   # the SageMaker client
            ```

            <!-- Program.cs: built and run as written. -->

            ```csharp
            using QueuedTraining.Client;

            Console.WriteLine("program");
            ```

            ~~~ cs title="snippet"
            services.AddQueuedSageMakerTraining();
            ~~~

            ```json
            { "not": "code to build" }
            ```
            """);

        var code = ReadmeCode.Read(_path);

        Assert.Equal(["QueuedTraining.Client", "QueuedTraining.SageMaker"], code.Packages);
        Assert.Contains("Console.WriteLine(\"program\");", code.Program, StringComparison.Ordinal);
        Assert.Equal(["using QueuedTraining.Client;"], code.ProgramUsings);
        Assert.Equal(["services.AddQueuedSageMakerTraining();"], code.Snippets);
    }

    [Fact]
    public void Read_MarkerBeforeProse_MarksNoBlock()
    {
        File.WriteAllText(_path, """
            <!-- Program.cs -->
            Some prose moved in between.

            ```csharp
            Console.WriteLine("a snippet now");
            ```
            """);

        var code = ReadmeCode.Read(_path);

        Assert.Null(code.Program);
        Assert.Single(code.Snippets);
    }

    public void Dispose() => File.Delete(_path);
}
