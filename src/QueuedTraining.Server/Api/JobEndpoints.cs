using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Commands;
using QueuedTraining.Core.Queries;
using QueuedTraining.Core.Storage;
using QueuedTraining.Server.Hosting;
using QueuedTraining.Server.OpenApi;
using QueuedTraining.Server.Security;
using QueuedTraining.Server.Streaming;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace QueuedTraining.Server.Api;

/// <summary>The queue's HTTP API v1: jobs and capacity.</summary>
internal static class JobEndpoints
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static RouteGroupBuilder MapJobEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Every call is authenticated, rate limited and may meet a busy store; each endpoint adds its own errors.
        var v1 = endpoints.MapGroup("/v1").RequireAuthorization().AddEndpointFilter(RateLimitFilter.InvokeAsync).WithTags("Queue")
            .ProducesProblems(Status401Unauthorized, Status429TooManyRequests, Status503ServiceUnavailable);

        // The bodies are read by JsonBodyReader for strictness, so each is declared here rather than bound.
        v1.MapPost("/jobs", SubmitAsync)
            .WithName("SubmitJob")
            .WithSummary("Queue a CreateTrainingJob request (SageMaker's JSON); priority comes from its 'priority' tag. With dryRun=true, answer as POST /v1/what-if does and store nothing.")
            .Accepts<CreateTrainingJobRequest>("application/json")
            .ProducesProblems(Status400BadRequest, Status409Conflict, Status413PayloadTooLarge, Status415UnsupportedMediaType)
            .AddOpenApiOperationTransformer(ParameterDescriptions.IdempotencyKeyAsync)
            .AddOpenApiOperationTransformer(ParameterDescriptions.DryRunAsync);
        v1.MapPost("/what-if", WhatIfAsync)
            .WithName("SubmitJobWhatIf")
            .WithSummary("What submitting a CreateTrainingJob request now would do: queue position, expected start, whom it preempts. Stores nothing.")
            .Accepts<CreateTrainingJobRequest>("application/json")
            .ProducesProblems(Status400BadRequest, Status413PayloadTooLarge, Status415UnsupportedMediaType);
        v1.MapGet("/jobs/{name}", GetAsync)
            .WithName("GetJob")
            .WithSummary("A queued job: state, queue position, reason, attempts.")
            .ProducesProblems(Status404NotFound);
        v1.MapGet("/jobs", ListAsync)
            .WithName("ListJobs")
            .WithSummary("Jobs in queue order, optionally of one state and of one team, paginated.")
            .ProducesProblems(Status400BadRequest)
            .AddOpenApiOperationTransformer(ParameterDescriptions.StateFilterAsync);
        v1.MapDelete("/jobs/{name}", CancelAsync)
            .WithName("CancelJob")
            .WithSummary("Cancel a waiting job or stop a running one.")
            .ProducesProblems(Status403Forbidden, Status404NotFound, Status409Conflict);
        v1.MapPatch("/jobs/{name}", PatchAsync)
            .WithName("ChangeJobPriority")
            .WithSummary("Change a job's priority: {\"priority\": n}.")
            .Accepts<JobPatch>("application/json")
            .ProducesProblems(Status400BadRequest, Status403Forbidden, Status404NotFound, Status409Conflict, Status413PayloadTooLarge, Status415UnsupportedMediaType);
        v1.MapPost("/jobs/{name}/release", ReleaseAsync)
            .WithName("ReleaseJob")
            .WithSummary("Operators: end a job that holds instances whose SageMaker job is gone or not the queue's.")
            .ProducesProblems(Status403Forbidden, Status404NotFound, Status409Conflict);
        v1.MapGet("/capacity", CapacityAsync)
            .WithName("GetCapacity")
            .WithSummary("Each instance pool: capacity, used, free.");
        v1.MapJobEvents();
        v1.MapGet("/teams", TeamsAsync)
            .WithName("GetTeams")
            .WithSummary("Each team and pool: quota, lending, in use, borrowed, lent, waiting, fair-share usage. Empty without teams.");
        return v1;
    }

    // The dry-run answer is a JsonHttpResult, which adds no response metadata: one status code with two schemas makes
    // generated clients drop one. The dryRun parameter's description names the schema; POST /v1/what-if declares it.
    private static async Task<Results<Accepted<TrainingJobResource>, Ok<TrainingJobResource>, JsonHttpResult<WhatIfResource>, ProblemHttpResult>> SubmitAsync(
        HttpContext context, JsonBodyReader reader, JobCommands commands, JobQueries queries, bool? dryRun, CancellationToken cancellationToken)
    {
        var (request, problem) = await reader.ReadAsync(context.Request, SageMakerJsonContext.Default.CreateTrainingJobRequest).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        // As kubectl's --dry-run=server: the same validation, the what-if answer, nothing stored.
        if (dryRun == true)
        {
            var answer = await AnswerWhatIfAsync(context, request!, commands, queries, cancellationToken).ConfigureAwait(false);
            return TypedResults.Json(answer, QueueJsonContext.Default.WhatIfResource);
        }

        var key = context.Request.Headers[IdempotencyKeyHeader].ToString();
        if (key.Length > 256)
        {
            return Problems.Validation(ProblemCodes.InvalidField, IdempotencyKeyHeader, "The Idempotency-Key header is limited to 256 characters.");
        }

        var result = await commands.SubmitAsync(context.User.ToCaller(), request!, key, cancellationToken).ConfigureAwait(false);
        var resource = (await queries.DescribeAsync(result.Job, cancellationToken).ConfigureAwait(false)).ToResource(context);
        return result.Created
            ? TypedResults.Accepted($"/v1/jobs/{Uri.EscapeDataString(resource.Name)}", resource)
            : TypedResults.Ok(resource);
    }

    private static async Task<Results<Ok<WhatIfResource>, ProblemHttpResult>> WhatIfAsync(
        HttpContext context, JsonBodyReader reader, JobCommands commands, JobQueries queries, CancellationToken cancellationToken)
    {
        var (request, problem) = await reader.ReadAsync(context.Request, SageMakerJsonContext.Default.CreateTrainingJobRequest).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        return TypedResults.Ok(await AnswerWhatIfAsync(context, request!, commands, queries, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>What submitting <paramref name="request"/> now would do; validated as a submission is, stored nowhere.</summary>
    private static async Task<WhatIfResource> AnswerWhatIfAsync(
        HttpContext context, CreateTrainingJobRequest request, JobCommands commands, JobQueries queries, CancellationToken cancellationToken)
    {
        var answer = await queries.WhatIfAsync(commands.Preview(context.User.ToCaller(), request), cancellationToken).ConfigureAwait(false);
        return new WhatIfResource
        {
            Name = answer.Job.Name,
            Priority = answer.Job.Priority,
            InstanceType = answer.Job.InstanceType,
            QueuePosition = answer.QueuePosition,
            ExpectedStart = answer.ExpectedStart.ToResource(),
            Preempts = answer.Preempts,
            Preemptions = [.. answer.Preemptions.Select(p => new WhatIfPreemptionResource { Name = p.Name, At = p.At, LostInstanceHours = p.LostInstanceHours })],
        };
    }

    private static async Task<Results<Ok<TrainingJobResource>, ProblemHttpResult>> GetAsync(
        string name, HttpContext context, JobQueries queries, CancellationToken cancellationToken)
    {
        var view = await queries.GetAsync(name, context.User.ToCaller(), cancellationToken).ConfigureAwait(false);
        return view is null
            ? Problems.Create(StatusCodes.Status404NotFound, ProblemCodes.JobNotFound, "No such job.", new JobNotFoundException(name).Message)
            : TypedResults.Ok(view.ToResource(context));
    }

    private static async Task<Results<Ok<JobPage>, ProblemHttpResult>> ListAsync(
        HttpContext context, JobQueries queries, IOptionsMonitor<ServerOptions> options, string? state, string? team, int? pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        JobState? filter = null;
        if (!string.IsNullOrEmpty(state))
        {
            if (state.Contains(',', StringComparison.Ordinal) || !Enum.TryParse<JobState>(state, ignoreCase: true, out var parsed) || int.TryParse(state, out _))
            {
                return Problems.Validation(ProblemCodes.InvalidField, "state", $"'{state}' is not a job state. States: {string.Join(", ", Enum.GetNames<JobState>().Select(n => n.ToLowerInvariant()))}.");
            }

            filter = parsed;
        }

        var max = options.CurrentValue.MaxPageSize;
        if (pageSize is < 1 || pageSize > max)
        {
            return Problems.Validation(ProblemCodes.InvalidField, "pageSize", $"pageSize must be between 1 and {max}.");
        }

        var page = await queries.ListAsync(new JobListQuery(filter, pageSize ?? 50, pageToken), context.User.ToCaller(), string.IsNullOrEmpty(team) ? null : team, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new JobPage { Items = page.Jobs.Select(view => view.ToResource(context)).ToList(), NextPageToken = page.NextPageToken });
    }

    private static async Task<Ok<TrainingJobResource>> CancelAsync(
        string name, HttpContext context, JobCommands commands, JobQueries queries, CancellationToken cancellationToken)
    {
        var job = await commands.CancelAsync(name, context.User.ToCaller(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok((await queries.DescribeAsync(job, cancellationToken).ConfigureAwait(false)).ToResource(context));
    }

    private static async Task<Ok<TrainingJobResource>> ReleaseAsync(
        string name, string? reason, HttpContext context, JobCommands commands, JobQueries queries, CancellationToken cancellationToken)
    {
        var job = await commands.ReleaseAsync(name, context.User.ToCaller(), reason, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok((await queries.DescribeAsync(job, cancellationToken).ConfigureAwait(false)).ToResource(context));
    }

    private static async Task<Results<Ok<TrainingJobResource>, ProblemHttpResult>> PatchAsync(
        string name, HttpContext context, JsonBodyReader reader, JobCommands commands, JobQueries queries, CancellationToken cancellationToken)
    {
        var (patch, problem) = await reader.ReadAsync(context.Request, QueueJsonContext.Default.JobPatch, DescribePatchError).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (patch!.Priority is not { } priority)
        {
            return Problems.Validation(ProblemCodes.MissingField, "priority", "The body must set 'priority' to an integer.");
        }

        var job = await commands.ChangePriorityAsync(name, priority, context.User.ToCaller(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok((await queries.DescribeAsync(job, cancellationToken).ConfigureAwait(false)).ToResource(context));
    }

    private static ProblemHttpResult DescribePatchError(JsonException ex) =>
        ex.Path == "$.priority"
            ? Problems.Validation(ProblemCodes.InvalidPriority, "priority", $"'priority' must be a whole number from {int.MinValue} to {int.MaxValue}.")
            : JsonBodyReader.Malformed(ex);

    private static async Task<Ok<CapacityResource>> CapacityAsync(
        JobQueries queries, CancellationToken cancellationToken)
    {
        var pools = await queries.GetCapacityAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new CapacityResource
        {
            Pools = pools.Select(p => new PoolCapacityResource { InstanceType = p.InstanceType, Capacity = p.Capacity, Used = p.Used, Free = p.Free }).ToList(),
        });
    }

    private static async Task<Ok<TeamsResource>> TeamsAsync(
        JobQueries queries, CancellationToken cancellationToken)
    {
        var teams = await queries.GetTeamsAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new TeamsResource
        {
            Teams = teams.Select(t => new TeamPoolResource
            {
                Team = t.Team,
                InstanceType = t.InstanceType,
                Quota = t.Quota,
                Lending = t.Lending.ToString(),
                BorrowLimit = t.BorrowLimit,
                Weight = t.Weight,
                InUse = t.InUse,
                Borrowed = t.Borrowed,
                Lent = t.Lent,
                Waiting = t.Waiting,
                FairShareUsage = Math.Round(t.FairShareUsage, 1),
            }).ToList(),
        });
    }
}
