using Microsoft.Extensions.Options;
using QueuedTraining.Core;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// What <see cref="QueuedTrainingServiceCollectionExtensions.AddQueuedTraining(IServiceCollection)"/> returns: the engine's
/// services and options, for a store (<c>AddSqliteJobStore</c>, <c>AddDynamoDBJobStore</c>) and a backend
/// (<c>AddSimulatedSageMaker</c>, or <c>AddSageMakerTrainingClient</c> for real SageMaker) to add themselves to.
/// </summary>
public sealed class QueuedTrainingBuilder
{
    internal QueuedTrainingBuilder(IServiceCollection services, OptionsBuilder<QueueOptions> options)
    {
        Services = services;
        Options = options;
    }

    /// <summary>The service collection the engine was added to.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The engine's options, to bind or configure further.</summary>
    public OptionsBuilder<QueueOptions> Options { get; }
}
