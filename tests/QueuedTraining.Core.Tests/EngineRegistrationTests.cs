using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using QueuedTraining.Core.Commands;
using QueuedTraining.Core.Hosting;
using QueuedTraining.Core.Planning;
using QueuedTraining.Core.Queries;
using QueuedTraining.Stores.Sqlite;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

public sealed class EngineRegistrationTests
{
    [Fact]
    public async Task AddQueuedTraining_WithAStoreAndABackend_ResolvesTheWholeEngineOnce()
    {
        var folder = Directory.CreateTempSubdirectory("qt-reg-");
        var services = new ServiceCollection().AddLogging();
        services.AddQueuedTraining(o => o.Capacity[TestJobs.P5] = 2)
            .AddSqliteJobStore(o => o.Path = Path.Combine(folder.FullName, "jobs.db"))
            .AddSimulatedSageMaker(_ => { });
        services.AddQueuedTraining();

        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.NotNull(provider.GetRequiredService<JobCommands>());
        Assert.NotNull(provider.GetRequiredService<JobQueries>());
        Assert.IsType<PriorityPreemptionPolicy>(provider.GetRequiredService<ISchedulingPolicy>());
        Assert.Single(provider.GetServices<IHostedService>().OfType<SchedulerProcess>());
        Assert.Equal(2, provider.GetRequiredService<IOptions<QueueOptions>>().Value.Capacity[TestJobs.P5]);
        await provider.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Delete(recursive: true);
    }

    [Fact]
    public void AddQueuedTraining_InvalidOptions_ReportsEveryProblemAtOnce()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddQueuedTraining(o => o.LookAhead = 0);

        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<QueueOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains(nameof(QueueOptions.LookAhead), StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("at least one pool", StringComparison.Ordinal));
    }

    [Fact]
    public void AddSqliteJobStore_EmptyPath_FailsValidation()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddQueuedTraining(o => o.Capacity[TestJobs.P5] = 1).AddSqliteJobStore(o => o.Path = string.Empty);

        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SqliteJobStoreOptions>>().Value);
        Assert.Contains(error.Failures, f => f.Contains(nameof(SqliteJobStoreOptions.Path), StringComparison.Ordinal));
    }
}
