using System.Collections.Concurrent;
using QueuedTraining.Backends.Simulated;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Replicas.Tests;

/// <summary>One thing SageMaker saw or did, numbered in the order it happened.</summary>
/// <param name="Sequence">Position in the history.</param>
/// <param name="TrainingJobName">The SageMaker job (an attempt's name).</param>
/// <param name="Status">A status SageMaker moved the job to (InProgress at create, then Stopping/Completed/Failed/Stopped).</param>
internal sealed record SageMakerTransition(long Sequence, string TrainingJobName, string Status);

/// <summary>A CreateTrainingJob or StopTrainingJob call SageMaker accepted, and which replica sent it.</summary>
internal sealed record SageMakerCall(string ReplicaId, string Operation, string TrainingJobName, string? QueuedJobName, string? InstanceType, int InstanceCount);

/// <summary>
/// The SageMaker side of the story: every accepted call (by replica) and every status transition in the
/// simulated SageMaker's own order. The simulated SageMaker publishes a transition inside the same lock that
/// changes the job, so the order of its event stream is the order things happened on "SageMaker".
/// </summary>
internal sealed class SageMakerRecorder
{
    /// <summary>The hyperparameter through which tests name the queued job an attempt belongs to.</summary>
    public const string QueuedJobHyperParameter = "test_queued_job";

    private readonly ConcurrentQueue<SageMakerCall> _calls = new();
    private readonly List<SageMakerTransition> _transitions = [];
    private long _sequence;

    public IReadOnlyCollection<SageMakerCall> Calls => _calls;

    public IReadOnlyList<SageMakerTransition> Transitions
    {
        get
        {
            lock (_transitions)
            {
                return [.. _transitions];
            }
        }
    }

    /// <summary>A client for one replica that sends to <paramref name="sageMaker"/> and records what it accepted.</summary>
    public ISageMakerTrainingClient ClientFor(string replicaId, ISageMakerTrainingClient sageMaker) => new RecordingClient(this, replicaId, sageMaker);

    /// <summary>Records one transition read from <see cref="SimulatedSageMaker.StateChanges"/>, in stream order.</summary>
    public SageMakerTransition Record(TrainingJobStateChange change)
    {
        lock (_transitions)
        {
            var transition = new SageMakerTransition(++_sequence, change.TrainingJobName, change.TrainingJobStatus);
            _transitions.Add(transition);
            return transition;
        }
    }

    private sealed class RecordingClient(SageMakerRecorder recorder, string replicaId, ISageMakerTrainingClient inner) : ISageMakerTrainingClient
    {
        public async Task<CreateTrainingJobResponse> CreateTrainingJobAsync(CreateTrainingJobRequest request, CancellationToken cancellationToken = default)
        {
            var response = await inner.CreateTrainingJobAsync(request, cancellationToken);
            var queued = request.HyperParameters is { } parameters && parameters.TryGetValue(QueuedJobHyperParameter, out var name) ? name : null;
            recorder._calls.Enqueue(new SageMakerCall(
                replicaId, "CreateTrainingJob", request.TrainingJobName!, queued, request.ResourceConfig?.InstanceType, request.ResourceConfig?.InstanceCount ?? 1));
            return response;
        }

        public async Task<StopTrainingJobResponse> StopTrainingJobAsync(StopTrainingJobRequest request, CancellationToken cancellationToken = default)
        {
            var response = await inner.StopTrainingJobAsync(request, cancellationToken);
            recorder._calls.Enqueue(new SageMakerCall(replicaId, "StopTrainingJob", request.TrainingJobName!, null, null, 0));
            return response;
        }

        public Task<DescribeTrainingJobResponse> DescribeTrainingJobAsync(DescribeTrainingJobRequest request, CancellationToken cancellationToken = default) =>
            inner.DescribeTrainingJobAsync(request, cancellationToken);

        public Task<ListTrainingJobsResponse> ListTrainingJobsAsync(ListTrainingJobsRequest request, CancellationToken cancellationToken = default) =>
            inner.ListTrainingJobsAsync(request, cancellationToken);

        public Task<UpdateTrainingJobResponse> UpdateTrainingJobAsync(UpdateTrainingJobRequest request, CancellationToken cancellationToken = default) =>
            inner.UpdateTrainingJobAsync(request, cancellationToken);
    }
}
