namespace QueuedTraining.Contracts.SageMaker;

/// <summary>
/// Registered (as an instance) by a package that decorates the application's <see cref="ISageMakerTrainingClient"/>,
/// so that a SageMaker client registered after the decorator becomes its inner client, under
/// <see cref="InnerServiceKey"/>, instead of being silently ignored. Registration order then does not matter.
/// </summary>
public sealed class SageMakerTrainingClientDecoration
{
    /// <summary>Creates the marker.</summary>
    /// <param name="innerServiceKey">The service key the decorator resolves its inner client under.</param>
    public SageMakerTrainingClientDecoration(object innerServiceKey)
    {
        ArgumentNullException.ThrowIfNull(innerServiceKey);
        InnerServiceKey = innerServiceKey;
    }

    /// <summary>The service key the decorator resolves its inner client under.</summary>
    public object InnerServiceKey { get; }
}
