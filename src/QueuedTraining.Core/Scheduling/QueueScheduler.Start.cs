using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Backend;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Core.Scheduling;

internal sealed partial class QueueScheduler
{
    /// <summary>How far SageMaker's clock may be behind ours when it reports when an attempt of ours was created.</summary>
    private static readonly TimeSpan AdoptionClockSkew = TimeSpan.FromMinutes(5);

    private enum StartOutcome
    {
        Started,
        NotStarted,
        Interfered,
    }

    /// <summary>
    /// Claims the instances (pending → starting, fenced) before calling SageMaker, so that a crash in
    /// between leaves a "starting" job that the next pass resumes rather than an untracked SageMaker job.
    /// </summary>
    private async Task<StartOutcome> StartAsync(QueuedJob job, int capacity, CapacitySource? source, SchedulerLease? fence, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var number = job.NextAttemptNumber;
        var attempt = new JobAttempt(number, AttemptNames.ForNextAttempt(job), now);
        var reason = string.Create(CultureInfo.InvariantCulture, $"starting attempt {attempt.Number} as {attempt.SageMakerJobName} on {job.InstanceCount} of {capacity} {job.InstanceType} instance(s){OnCapacity(job, source)}");
        var starting = JobLifecycle.Move(job.WithNewAttempt(attempt) with { NotBefore = null }, JobEvent.StartClaimed, reason, now);
        var claim = await _store.TryUpdateAsync(job, starting, fence, cancellationToken: cancellationToken).ConfigureAwait(false);
        switch (claim.Outcome)
        {
            case JobUpdateOutcome.FenceRejected:
                throw new LeaseLostException(fence!);
            case JobUpdateOutcome.VersionConflict or JobUpdateOutcome.NotFound:
                return StartOutcome.Interfered;
        }

        _metrics.Claimed(job);

        return await CreateAttemptAsync(claim.Job!, attempt, fence, requeueWhenRefused: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>With teams, whose capacity the start runs on, for the job's history.</summary>
    private static string OnCapacity(QueuedJob job, CapacitySource? source) => source switch
    {
        CapacitySource.OwnQuota => $", on team {job.Team}'s own quota",
        CapacitySource.SharedRemainder => $", on the shared remainder (team {job.Team})",
        CapacitySource.Borrowed => $", on quota borrowed from other teams (team {job.Team}); it may be preempted when they reclaim it",
        _ => string.Empty,
    };

    /// <summary>
    /// Finishes a claim whose CreateTrainingJob may never have reached SageMaker (the deciding replica crashed
    /// or paused). The attempt keeps its instances and its name: sending Create again is safe because the name
    /// is unique (ResourceInUse means it exists), and a refusal never frees the instances, since a late Create
    /// from the paused replica could still arrive and must find them held.
    /// </summary>
    private async Task<StartOutcome> ResumeClaimAsync(QueuedJob job, SchedulerLease? fence, CancellationToken cancellationToken)
    {
        LogResumingClaim(job.Name, job.CurrentAttemptName!);
        var outcome = await CreateAttemptAsync(job, job.CurrentAttempt!, fence, requeueWhenRefused: false, cancellationToken).ConfigureAwait(false);
        if (outcome == StartOutcome.NotStarted)
        {
            // Try again after another interval: UpdatedAt must move every time, or every pass would retry at once.
            await UpdateClaimAsync(
                job,
                job.CurrentAttemptName!,
                j => j with { Reason = $"starting: SageMaker has not accepted {j.CurrentAttemptName} yet; retrying", UpdatedAt = _time.GetUtcNow() },
                fence,
                WriteDurability.Immediate,
                cancellationToken).ConfigureAwait(false);
        }

        return outcome;
    }

    private async Task<StartOutcome> CreateAttemptAsync(QueuedJob job, JobAttempt attempt, SchedulerLease? fence, bool requeueWhenRefused, CancellationToken cancellationToken)
    {
        var request = JsonSerializer.Deserialize(job.RequestJson, SageMakerJsonContext.Default.CreateTrainingJobRequest)!;
        request.TrainingJobName = attempt.SageMakerJobName;
        using var activity = Diagnostics.QueueTracing.Start(job, attempt.Number);
        try
        {
            await _backend.CreateTrainingJobAsync(request, cancellationToken).ConfigureAwait(false);
            LogStarted(job.Name, attempt.SageMakerJobName, job.Priority, job.InstanceCount, job.InstanceType);
            await ConfirmStartedAsync(job, attempt.SageMakerJobName, cancellationToken).ConfigureAwait(false);
            return StartOutcome.Started;
        }
        catch (SageMakerResourceInUseException)
        {
            // Usually an earlier call of ours created it (a lost answer, a crash). Adopt it only if it looks like ours:
            // a job someone else created under this name must never be taken for this attempt.
            return await AdoptExistingAsync(job, attempt, request, fence, cancellationToken).ConfigureAwait(false);
        }
        catch (SageMakerValidationException ex)
        {
            var rejected = await UpdateClaimAsync(job, attempt.SageMakerJobName, j => JobLifecycle.Move(j, JobEvent.StartRejected, $"SageMaker rejected the job: {ex.Message}", _time.GetUtcNow()), fence, WriteDurability.Immediate, cancellationToken).ConfigureAwait(false);
            EndedByRejection(rejected);
            LogStartRejected(job.Name, ex.Message);
            return StartOutcome.NotStarted;
        }
        catch (Exception ex) when (ex.IsRecoverable())
        {
            if (requeueWhenRefused)
            {
                await RequeueAfterFailedStartAsync(job, attempt, ex, fence, cancellationToken).ConfigureAwait(false);
            }

            return StartOutcome.NotStarted;
        }
    }

    /// <summary>
    /// The attempt's name is taken on SageMaker. It is this attempt's own when SageMaker created it no earlier than the
    /// claim (less a clock skew allowance) with the request's role; then it is confirmed. Otherwise the name belongs to
    /// a job the queue did not create: when it is the user's own name (a first attempt), the job goes back to the queue
    /// to run under suffixed names; a suffixed name can never start, and the job fails saying so. When SageMaker cannot
    /// be asked, the claim stays and is sent again later.
    /// </summary>
    private async Task<StartOutcome> AdoptExistingAsync(QueuedJob job, JobAttempt attempt, CreateTrainingJobRequest request, SchedulerLease? fence, CancellationToken cancellationToken)
    {
        DescribeTrainingJobResponse existing;
        try
        {
            existing = await _backend.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = attempt.SageMakerJobName }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex.IsRecoverable())
        {
            return StartOutcome.NotStarted;
        }

        var ours = existing.CreationTime is not { } created || created >= attempt.StartedAt - AdoptionClockSkew;
        ours &= existing.RoleArn is null || string.Equals(existing.RoleArn, request.RoleArn, StringComparison.Ordinal);
        if (ours)
        {
            await ConfirmStartedAsync(job, attempt.SageMakerJobName, cancellationToken).ConfigureAwait(false);
            return StartOutcome.Started;
        }

        if (attempt.SageMakerJobName == job.Name)
        {
            // The user's own name is taken on SageMaker (an earlier job, or one run outside the queue): run under
            // suffixed names instead, at once. Nothing was created for this attempt, so dropping it frees the claim.
            var taken = string.Create(CultureInfo.InvariantCulture, $"the name {job.Name} is taken on SageMaker by a job this queue did not create (created {existing.CreationTime:O}); the job runs under suffixed names");
            await UpdateClaimAsync(job, attempt.SageMakerJobName, j => JobLifecycle.Move(j, JobEvent.StartDeferred, taken, _time.GetUtcNow()) with { OwnNameTaken = true, NotBefore = null }, fence, WriteDurability.Immediate, cancellationToken).ConfigureAwait(false);
            LogOwnNameTaken(job.Name);
            return StartOutcome.NotStarted;
        }

        var reason = string.Create(CultureInfo.InvariantCulture, $"SageMaker job {attempt.SageMakerJobName} exists but was not created by this queue for this attempt (created {existing.CreationTime:O}, role {existing.RoleArn}); the job cannot start under that name");
        EndedByRejection(await UpdateClaimAsync(job, attempt.SageMakerJobName, j => JobLifecycle.Move(j, JobEvent.StartRejected, reason, _time.GetUtcNow()), fence, WriteDurability.Immediate, cancellationToken).ConfigureAwait(false));
        LogStartRejected(job.Name, reason);
        return StartOutcome.NotStarted;
    }

    /// <summary>Starting → running; <paramref name="claimed"/> is the job as claimed, usually still current.</summary>
    private async Task ConfirmStartedAsync(QueuedJob claimed, string attemptName, CancellationToken cancellationToken)
    {
        var change = await UpdateClaimAsync(
            claimed,
            attemptName,
            j => AttemptStateTransitions.Confirm(j, _time.GetUtcNow()),
            fence: null,
            // SageMaker has the job now: if this write is lost, the stale claim re-sends Create under the same name,
            // hears ResourceInUse and confirms again.
            WriteDurability.Deferred,
            cancellationToken).ConfigureAwait(false);
        _metrics.Changed(change);

        // Cancelled while it was being created: the stop request found no SageMaker job yet, so send it now.
        if (change is { After.State: JobState.Stopping } && change.After.CurrentAttemptName == attemptName)
        {
            await _stopper.StopAsync(claimed.Name, attemptName, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// SageMaker refused for now (capacity, quota, throttling, an outage). The job returns to the queue with
    /// backoff and keeps its place; other pools go on. First make sure the attempt really does not exist.
    /// </summary>
    private async Task RequeueAfterFailedStartAsync(QueuedJob claimed, JobAttempt attempt, Exception error, SchedulerLease? fence, CancellationToken cancellationToken)
    {
        if (await AttemptExistsAsync(attempt.SageMakerJobName, cancellationToken).ConfigureAwait(false) is not false)
        {
            // It exists, or we cannot tell: reconciliation describes it later and settles the job.
            return;
        }

        var options = _options.CurrentValue;
        await UpdateClaimAsync(claimed, attempt.SageMakerJobName, j =>
        {
            var failures = j.StartFailures + 1;
            var delay = Backoff(options.StartRetryBaseDelay, options.StartRetryMaxDelay, failures);
            var now = _time.GetUtcNow();
            var reason = string.Create(CultureInfo.InvariantCulture, $"SageMaker could not start it yet ({BackendErrors.Describe(error)}); retrying after {delay.TotalSeconds:0.#} s");
            return JobLifecycle.Move(j, JobEvent.StartDeferred, reason, now) with { StartFailures = failures, NotBefore = now + delay };
        }, fence, WriteDurability.Immediate, cancellationToken).ConfigureAwait(false);
        LogStartDeferred(claimed.Name, BackendErrors.Describe(error));
    }

    /// <summary>
    /// Changes a claim that is still in place: the job still starting, with <paramref name="attemptName"/> as its
    /// attempt. Otherwise a cancel, an event or another replica got there first, and the job is left as it is.
    /// Ending a claim that did not start is fenced: a replica that lost the lease while its Create was refused
    /// must not free instances that the new leader may already be re-creating the attempt in.
    /// </summary>
    private Task<JobChange?> UpdateClaimAsync(
        QueuedJob claimed,
        string attemptName,
        Func<QueuedJob, QueuedJob?> change,
        SchedulerLease? fence,
        WriteDurability durability,
        CancellationToken cancellationToken) =>
        _store.UpdateAsync(
            claimed,
            j => j.State == JobState.Starting && j.CurrentAttemptName == attemptName ? change(j) : null,
            fence,
            durability,
            cancellationToken);

    private void EndedByRejection(JobChange? change)
    {
        if (change is { Changed: true } && change.Before.State != change.After.State)
        {
            _metrics.Ended(change.After.InstanceType, change.After.State);
        }
    }

    private async Task<bool?> AttemptExistsAsync(string attemptName, CancellationToken cancellationToken)
    {
        try
        {
            await _backend.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = attemptName }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SageMakerResourceNotFoundException)
        {
            return false;
        }
        catch (Exception ex) when (ex.IsRecoverable())
        {
            return null;
        }
    }

    private static TimeSpan Backoff(TimeSpan baseDelay, TimeSpan maxDelay, int failures)
    {
        var exponent = Math.Min(failures - 1, 20);
        var delay = TimeSpan.FromTicks((long)Math.Min(maxDelay.Ticks, baseDelay.Ticks * Math.Pow(2, exponent)));

        // Jitter spreads retries of many jobs refused at once.
        return delay * (0.8 + (0.4 * Random.Shared.NextDouble()));
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Started {JobName} as SageMaker job {AttemptName} (priority {Priority}, {InstanceCount} x {InstanceType})")]
    private partial void LogStarted(string jobName, string attemptName, int priority, int instanceCount, string instanceType);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "SageMaker rejected {JobName}: {Message}")]
    private partial void LogStartRejected(string jobName, string message);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "SageMaker could not start {JobName} yet: {Error}")]
    private partial void LogStartDeferred(string jobName, string error);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "The name {JobName} is taken on SageMaker by a job this queue did not create; its attempts run under suffixed names")]
    private partial void LogOwnNameTaken(string jobName);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "{JobName} has been starting as {AttemptName} for too long; sending its Create again")]
    private partial void LogResumingClaim(string jobName, string attemptName);
}
