using QueuedTraining.Testing.Processes;
using Xunit;

namespace QueuedTraining.Server.Tests;

/// <summary>The real service process, started the way an operator starts it, on a store or configuration it must refuse.</summary>
public sealed class StartupFailureTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly string _folder = Directory.CreateTempSubdirectory("qt-startup-").FullName;

    [Fact]
    public async Task Service_DatabasePathIsADirectory_ExitsWithTheStoreCodeAndSaysWhy()
    {
        var path = Directory.CreateDirectory(Path.Combine(_folder, "jobs.db")).FullName;

        var (exitCode, errors) = await RunServiceAsync($"--QueuedTraining:Sqlite:Path={path}");

        Assert.Equal(StartupFailure.StoreDamagedExitCode, exitCode);
        Assert.Contains("cannot start", errors, StringComparison.Ordinal);
        Assert.Contains("is a directory", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Service_InvalidConfiguration_ExitsWithTheConfigurationCode()
    {
        var (exitCode, errors) = await RunServiceAsync(
            $"--QueuedTraining:Sqlite:Path={Path.Combine(_folder, "jobs.db")}", "--QueuedTraining:LookAhead=0");

        Assert.Equal(StartupFailure.InvalidConfigurationExitCode, exitCode);
        Assert.Contains("LookAhead", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--QueuedTraining:Backend=Simulted", "Backend")]
    [InlineData("--QueuedTraining:Store=Dynamo", "Store")]
    [InlineData("--QueuedTraining:Telemetry:OtlpEndpoint=collector:4317", "Telemetry:OtlpEndpoint")]
    public async Task Service_MistypedStoreOrBackend_ExitsWithTheConfigurationCodeNamingTheSetting(string setting, string named)
    {
        var (exitCode, errors) = await RunServiceAsync($"--QueuedTraining:Sqlite:Path={Path.Combine(_folder, "jobs.db")}", setting);

        Assert.Equal(StartupFailure.InvalidConfigurationExitCode, exitCode);
        Assert.Contains($"QueuedTraining:{named} must be", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Service_CapacityNotANumber_ExitsWithTheConfigurationCodeNamingThePool()
    {
        var (exitCode, errors) = await RunServiceAsync(
            $"--QueuedTraining:Sqlite:Path={Path.Combine(_folder, "jobs.db")}", "--QueuedTraining:Capacity:ml.g5.xlarge=abc");

        Assert.Equal(StartupFailure.InvalidConfigurationExitCode, exitCode);
        Assert.Contains("QueuedTraining:Capacity:ml.g5.xlarge must be a whole number of instances, not 'abc'", errors, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task<(int ExitCode, string Errors)> RunServiceAsync(params string[] arguments)
    {
        var result = await ChildProcess.RunAsync(
            "dotnet",
            [typeof(QueuedTrainingApplication).Assembly.Location, "--urls=http://127.0.0.1:0", .. arguments],
            new ChildProcessOptions { Timeout = Patience });
        return (result.ExitCode, result.StandardError);
    }
}
