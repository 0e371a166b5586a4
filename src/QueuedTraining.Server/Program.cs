using Microsoft.Extensions.Options;
using QueuedTraining.Core.Storage;
using QueuedTraining.Server;

// A process that cannot start says why and exits with a code a supervisor can tell apart, instead of crashing into
// a restart loop: 2 for configuration that fails validation, 3 for a job store that must not be used.
try
{
    await using var app = QueuedTrainingApplication.Build(args);
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (StartupFailure.Find<JobStoreDamagedException>(ex) is { } damaged)
{
    await Console.Error.WriteLineAsync($"QueuedTraining cannot start: {damaged.Message}");
    return StartupFailure.StoreDamagedExitCode;
}
catch (Exception ex) when (StartupFailure.Find<OptionsValidationException>(ex) is { } invalid)
{
    await Console.Error.WriteLineAsync($"QueuedTraining cannot start: invalid configuration: {string.Join(" ", invalid.Failures)}");
    return StartupFailure.InvalidConfigurationExitCode;
}
