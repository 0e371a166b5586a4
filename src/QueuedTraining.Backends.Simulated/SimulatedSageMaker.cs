using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Backends.Simulated;

/// <summary>
/// SageMaker in a box, for the quick start, tests and benchmarks: a job is <c>InProgress</c> at once and
/// <c>Completed</c> after its <c>sim_duration_seconds</c> hyperparameter (or the configured default);
/// <c>sim_outcome=Failed</c> makes it fail at that point; StopTrainingJob makes it <c>Stopping</c>, then
/// <c>Stopped</c> after a grace period. Every status change is published on <see cref="StateChanges"/>
/// the way SageMaker publishes EventBridge events. Time comes from <see cref="TimeProvider"/>, so tests
/// drive it with a fake clock.
/// </summary>
public sealed partial class SimulatedSageMaker : ISageMakerTrainingClient, IDisposable
{
    /// <summary>The hyperparameter that sets how long a simulated job trains, in seconds.</summary>
    public const string DurationHyperParameter = "sim_duration_seconds";

    /// <summary>The hyperparameter that makes a simulated job fail (<c>Failed</c>).</summary>
    public const string OutcomeHyperParameter = "sim_outcome";

    private readonly Dictionary<string, SimulatedTrainingJob> _jobs = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly Lock _gate = new();
    private readonly System.Threading.Channels.Channel<TrainingJobStateChange> _changes = System.Threading.Channels.Channel.CreateUnbounded<TrainingJobStateChange>();
    private readonly SimulatedSageMakerOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates an empty simulated SageMaker.</summary>
    public SimulatedSageMaker(IOptions<SimulatedSageMakerOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
    }

    /// <summary>Status changes, in the order they happened, like SageMaker's EventBridge events.</summary>
    public ChannelReader<TrainingJobStateChange> StateChanges => _changes.Reader;

    /// <summary>How many simulated jobs are <c>InProgress</c> or <c>Stopping</c> right now.</summary>
    public int ActiveJobCount
    {
        get
        {
            lock (_gate)
            {
                return _jobs.Values.Count(j => !TrainingJobStatus.IsTerminal(j.Status));
            }
        }
    }

    /// <inheritdoc />
    public Task<CreateTrainingJobResponse> CreateTrainingJobAsync(CreateTrainingJobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.TrainingJobName;
        if (string.IsNullOrEmpty(name))
        {
            throw new SageMakerValidationException("1 validation error detected: Value null at 'trainingJobName' failed to satisfy constraint: Member must not be null");
        }

        if (request.ResourceConfig?.InstanceType is null)
        {
            throw new SageMakerValidationException("1 validation error detected: Value null at 'resourceConfig' failed to satisfy constraint: Member must not be null");
        }

        var now = _time.GetUtcNow();
        var duration = ReadDuration(request);
        var fail = string.Equals(ReadHyperParameter(request, OutcomeHyperParameter), TrainingJobStatus.Failed, StringComparison.OrdinalIgnoreCase);
        var arn = $"arn:aws:sagemaker:{_options.Region}:{_options.AccountId}:training-job/{name.ToLowerInvariant()}";
        lock (_gate)
        {
            if (_jobs.ContainsKey(name))
            {
                throw new SageMakerResourceInUseException($"Training job names must be unique within an AWS account and region, and a training job with this name already exists ({arn})");
            }

            var job = new SimulatedTrainingJob(request, arn, now, fail, fail ? "AlgorithmError: simulated failure (sim_outcome=Failed)" : null);
            _jobs[name] = job;
            _order.Add(name);
            Transition(job, name, TrainingJobStatus.InProgress, SecondaryStatus.Starting, now);
            job.Timer = _time.CreateTimer(_ => Finish(name), null, duration, Timeout.InfiniteTimeSpan);
        }

        return Task.FromResult(new CreateTrainingJobResponse { TrainingJobArn = arn });
    }

    /// <inheritdoc />
    public Task<StopTrainingJobResponse> StopTrainingJobAsync(StopTrainingJobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            var job = Find(request.TrainingJobName);
            if (job.Status != TrainingJobStatus.InProgress)
            {
                // SageMaker answers a stop of a stopping or ended job with a validation error.
                throw new SageMakerValidationException($"The request was rejected because the training job is in status {job.Status}.");
            }

            job.Timer?.Dispose();
            var name = request.TrainingJobName!;
            Transition(job, name, TrainingJobStatus.Stopping, SecondaryStatus.Stopping, _time.GetUtcNow());
            job.Timer = _time.CreateTimer(_ => Stopped(name), null, _options.StopGracePeriod, Timeout.InfiniteTimeSpan);
        }

        return Task.FromResult(new StopTrainingJobResponse());
    }

    /// <inheritdoc />
    public Task<UpdateTrainingJobResponse> UpdateTrainingJobAsync(UpdateTrainingJobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            return Task.FromResult(new UpdateTrainingJobResponse { TrainingJobArn = Find(request.TrainingJobName).Arn });
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var job in _jobs.Values)
            {
                job.Timer?.Dispose();
            }
        }

        _changes.Writer.TryComplete();
    }

    private static TimeSpan? ParseSeconds(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : null;

    private static string? ReadHyperParameter(CreateTrainingJobRequest request, string key) =>
        request.HyperParameters is { } parameters && parameters.TryGetValue(key, out var value) ? value : null;

    private TimeSpan ReadDuration(CreateTrainingJobRequest request) =>
        ParseSeconds(ReadHyperParameter(request, DurationHyperParameter)) ?? _options.DefaultDuration;

    private SimulatedTrainingJob Find(string? name) =>
        name is not null && _jobs.TryGetValue(name, out var job)
            ? job
            : throw new SageMakerResourceNotFoundException($"Requested resource not found: training job {name} does not exist.");

    private void Finish(string name)
    {
        lock (_gate)
        {
            var job = _jobs[name];
            if (job.Status != TrainingJobStatus.InProgress)
            {
                return;
            }

            var now = _time.GetUtcNow();
            job.EndedAt = now;
            job.FailureReason = job.FailureReasonAtEnd;
            var status = job.FailAtEnd ? TrainingJobStatus.Failed : TrainingJobStatus.Completed;
            Transition(job, name, status, job.FailAtEnd ? SecondaryStatus.Failed : SecondaryStatus.Completed, now);
        }
    }

    private void Stopped(string name)
    {
        lock (_gate)
        {
            var job = _jobs[name];
            var now = _time.GetUtcNow();
            job.EndedAt = now;
            Transition(job, name, TrainingJobStatus.Stopped, SecondaryStatus.Stopped, now);
        }
    }

    private void Transition(SimulatedTrainingJob job, string name, string status, string secondary, DateTimeOffset at)
    {
        if (job.Transitions.Count > 0)
        {
            job.Transitions[^1].EndTime = at;
        }

        job.Status = status;
        job.SecondaryStatus = secondary;
        job.LastModified = at;
        job.Transitions.Add(new SecondaryStatusTransition { Status = secondary, StartTime = at });
        _changes.Writer.TryWrite(new TrainingJobStateChange(name, status, secondary, job.FailureReason, at));
    }

}
