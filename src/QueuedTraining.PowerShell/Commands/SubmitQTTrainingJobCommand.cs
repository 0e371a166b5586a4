using System.Collections;
using System.Globalization;
using System.Management.Automation;
using QueuedTraining.Client;
using QueuedTraining.PowerShell.Engine;

namespace QueuedTraining.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Submits a SageMaker CreateTrainingJob request to the training queue.</para>
/// <para type="description">Queues a training job from a hashtable, a JSON string or a JSON file, shaped exactly like a SageMaker CreateTrainingJob request.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Submit, "QTTrainingJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = RequestSet)]
[OutputType("QueuedTraining.Contracts.Queue.TrainingJobResource")]
public sealed class SubmitQTTrainingJobCommand : QueueCmdlet
{
    private const string RequestSet = "Request";
    private const string JsonSet = "Json";
    private const string PathSet = "Path";

    /// <summary>The request as a hashtable.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = RequestSet)]
    public IDictionary Request { get; set; } = null!;

    /// <summary>The request as JSON text.</summary>
    [Parameter(Mandatory = true, ParameterSetName = JsonSet)]
    public string Json { get; set; } = null!;

    /// <summary>A file holding the request as JSON.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [Alias("FilePath")]
    public string Path { get; set; } = null!;

    /// <summary>The job's name, replacing the request's TrainingJobName.</summary>
    [Parameter]
    [Alias("TrainingJobName")]
    public string? Name { get; set; }

    /// <summary>The job's priority, replacing the request's priority tag.</summary>
    [Parameter]
    public int? Priority { get; set; }

    /// <summary>The submission's idempotency key; an identical submission with the same key returns the queued job.</summary>
    [Parameter]
    [ValidateLength(1, 256)]
    public string? IdempotencyKey { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        Contracts.SageMaker.CreateTrainingJobRequest request;
        try
        {
            var json = ParameterSetName switch
            {
                JsonSet => Json,
                PathSet => File.ReadAllText(SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path)),
                _ => PowerShellJson.FromDictionary(Request),
            };
            request = TrainingJobRequestReader.FromJson(json);
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
        {
            WriteError(QueueErrors.From(ex, ParameterSetName == PathSet ? Path : null));
            return;
        }

        if (!string.IsNullOrEmpty(Name))
        {
            request.TrainingJobName = Name;
        }

        if (Priority is { } priority)
        {
            TrainingJobRequestReader.SetPriority(request, Session.PriorityTagKey, priority);
        }

        var name = request.TrainingJobName ?? "(unnamed)";
        var priorityText = Priority?.ToString(CultureInfo.InvariantCulture)
            ?? request.Tags?.Find(t => t.Key == Session.PriorityTagKey)?.Value
            ?? "default";
        if (!ShouldProcess($"training job {name}", $"Submit to the queue at {Session.BaseAddress} with priority {priorityText}{WhatIfAnswer(request)}"))
        {
            return;
        }

        if (TryRun(ct => Session.Client.SubmitAsync(request, IdempotencyKey, ct), name, out var submission) && submission is not null)
        {
            if (!submission.Created)
            {
                WriteWarning($"Training job {submission.Job.Name} was already queued by an identical submission; nothing new was queued.");
            }

            WriteObject(submission.Job);
        }
    }

    /// <summary>
    /// With -WhatIf or -Confirm, what the queue says submitting would do (POST /v1/what-if), as the end of the
    /// ShouldProcess message: ": 3rd in line; expected to start in 40 min – 2 h 10 min; would preempt runner (1.5
    /// instance-hours of work lost)". Empty otherwise, or when the queue cannot answer: the question is still asked.
    /// </summary>
    private string WhatIfAnswer(Contracts.SageMaker.CreateTrainingJobRequest request)
    {
        if (!MyInvocation.BoundParameters.ContainsKey("WhatIf") && !MyInvocation.BoundParameters.ContainsKey("Confirm"))
        {
            return string.Empty;
        }

        try
        {
            var answer = Session.Client.WhatIfAsync(request, StopToken).GetAwaiter().GetResult();
            var now = DateTimeOffset.UtcNow;
            var text = ": " + Contracts.Queue.ExpectedStartText.Ordinal(answer.QueuePosition) + " in line"
                + (answer.ExpectedStart is { } expected ? "; " + Contracts.Queue.ExpectedStartText.Range(expected, now) : string.Empty);
            foreach (var preemption in answer.Preemptions)
            {
                text += string.Create(
                    CultureInfo.InvariantCulture,
                    $"; would preempt {preemption.Name}{(preemption.At > now ? " in " + Contracts.Queue.ExpectedStartText.Duration(preemption.At - now) : string.Empty)} ({preemption.LostInstanceHours:0.0} instance-hours of work lost)");
            }

            return text;
        }
        catch (QueuedJobValidationException ex)
        {
            return ": the queue would refuse it: " + ex.Message;
        }
        catch (Exception ex) when (ex is TrainingQueueException or HttpRequestException or OperationCanceledException)
        {
            WriteVerbose($"The queue could not answer what submitting would do: {ex.Message}");
            return string.Empty;
        }
    }
}
