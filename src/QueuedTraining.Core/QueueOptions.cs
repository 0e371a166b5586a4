using System.ComponentModel.DataAnnotations;
using QueuedTraining.Core.Teams;

namespace QueuedTraining.Core;

/// <summary>
/// How the queue behaves; bound from the <c>QueuedTraining</c> configuration section and validated at
/// start-up by <see cref="QueueOptionsValidator"/>. Capacity is <c>QueuedTraining:Capacity:&lt;instance type&gt;=&lt;instances&gt;</c>.
/// </summary>
public sealed class QueueOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "QueuedTraining";

    /// <summary>Instances the queue may use per instance type. A job of an unlisted type is refused.</summary>
    public Dictionary<string, int> Capacity { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The tag whose integer value is a job's priority.</summary>
    [Required]
    [StringLength(128, MinimumLength = 1)]
    public string PriorityTagKey { get; set; } = "priority";

    /// <summary>
    /// The highest priority a caller who is not an operator may give a job, by its tag or by a change, unless
    /// <see cref="PrincipalMaxPriority"/> names another for that caller: without a ceiling one tenant could preempt
    /// everyone else's work by writing a bigger number.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int MaxPriority { get; set; } = 1000;

    /// <summary>Ceilings for particular principals (<c>QueuedTraining:PrincipalMaxPriority:&lt;principal&gt;=&lt;n&gt;</c>).</summary>
    public Dictionary<string, int> PrincipalMaxPriority { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How often the scheduler re-plans and reconciles with SageMaker even without events.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first wait after SageMaker refused to start a job for lack of capacity or throttling.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan StartRetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between such retries.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "06:00:00")]
    public TimeSpan StartRetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a finished job (completed, failed, stopped) stays listed and readable after it ends; then it is removed
    /// with its idempotency key. Thirty days by default.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan FinishedJobRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long the scheduler lease lasts; it is renewed at a third of this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How many waiting jobs of a pool one scheduling pass looks at.</summary>
    [Range(1, 10_000)]
    public int LookAhead { get; set; } = 64;

    /// <summary>How many pools the scheduler passes at once; a pool waiting on a slow SageMaker call holds only its own slot.</summary>
    [Range(1, 256)]
    public int MaxConcurrentPools { get; set; } = 8;

    /// <summary>
    /// The tag whose value names a job's family for start forecasts: runs of one family are expected to take alike. A job
    /// without it belongs to the family of its name without trailing numbers and dates ("resnet-sweep-20260101-3" to
    /// "resnet-sweep").
    /// </summary>
    [Required]
    [StringLength(128, MinimumLength = 1)]
    public string ForecastFamilyTagKey { get; set; } = "family";

    /// <summary>
    /// How many of the most recent completed runs of a family (and of a pool) start forecasts learn from: a window, so
    /// that when a family's runtimes shift the forecast follows within half of it. A starting point, not a measured best.
    /// </summary>
    [Range(3, 1_000)]
    public int ForecastWindow { get; set; } = 30;

    /// <summary>
    /// How far back start forecasts look at the work that arrived in a pool, by priority, to widen <c>latest</c> by the work
    /// expected to keep arriving ahead of a waiting job at that rate (and the furthest ahead that rate is extrapolated).
    /// A day by default: arrivals follow the working day, and a rate over a whole day does not depend on the hour it is
    /// read at, where a shorter window read at night misses the afternoon a long wait runs into (docs/forecasting.md).
    /// </summary>
    [Range(typeof(TimeSpan), "00:10:00", "7.00:00:00")]
    public TimeSpan ForecastArrivalWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How many of the newest completed jobs are read once, at the first forecast, to fill the windows.</summary>
    [Range(0, 100_000)]
    public int ForecastSeedJobs { get; set; } = 1_000;

    /// <summary>
    /// How long a job's attempt runs before the scheduler may preempt it, in every pool without its own
    /// <see cref="MinimumRuntimeByPool"/>. Zero by default, so preemption is as prompt as priorities demand;
    /// ten minutes or more suits pools whose jobs take minutes to provision and load data: a job preempted
    /// sooner pays its whole start-up again and gains nothing.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan MinimumRuntimeBeforePreemption { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// The minimum runtime of particular pools (<c>QueuedTraining:MinimumRuntimeByPool:&lt;instance type&gt;=&lt;hh:mm:ss&gt;</c>),
    /// instead of <see cref="MinimumRuntimeBeforePreemption"/>.
    /// </summary>
    public Dictionary<string, TimeSpan> MinimumRuntimeByPool { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The tag whose integer value asks for a longer minimum runtime for one job, in seconds. A job never gets less than
    /// its pool's minimum, nor more than <see cref="MaxMinimumRuntime"/>.
    /// </summary>
    [Required]
    [StringLength(128, MinimumLength = 1)]
    public string MinimumRuntimeTagKey { get; set; } = "min-runtime-seconds";

    /// <summary>
    /// The most a job may ask for by its <see cref="MinimumRuntimeTagKey"/> tag; a larger request is cut to this when the
    /// scheduler decides, so lowering the cap also applies to jobs already queued. One hour by default.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan MaxMinimumRuntime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How many times one job may be preempted; after that it is no longer chosen to give way and runs until it ends.
    /// Three by default; 0 for no limit. Like a requeue cap, it bounds the work a job can lose to priorities.
    /// </summary>
    [Range(0, 1000)]
    public int MaxPreemptionsPerJob { get; set; } = 3;

    /// <summary>
    /// Whether running jobs without <c>CheckpointConfig.S3Uri</c> may be preempted, in every pool without its own
    /// <see cref="UncheckpointedPreemptionByPool"/>: <see cref="Planning.UncheckpointedPreemption.LastResort"/> (only when
    /// jobs that checkpoint cannot make room; the default) or <see cref="Planning.UncheckpointedPreemption.Never"/>.
    /// </summary>
    public Planning.UncheckpointedPreemption UncheckpointedPreemption { get; set; } = Planning.UncheckpointedPreemption.LastResort;

    /// <summary>
    /// <see cref="UncheckpointedPreemption"/> of particular pools
    /// (<c>QueuedTraining:UncheckpointedPreemptionByPool:&lt;instance type&gt;=Never</c>).
    /// </summary>
    public Dictionary<string, Planning.UncheckpointedPreemption> UncheckpointedPreemptionByPool { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How often the scheduler asks S3 for the newest object under a running job's checkpoint location. A job's last
    /// checkpoint time is at most this old when victims are chosen; S3 is never asked per job per scheduling pass.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CheckpointRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long the head of a pool may wait for the jobs it would preempt to save their next checkpoint, in every pool
    /// without its own <see cref="PreemptionCheckpointGraceByPool"/>. When a victim's next checkpoint (its last plus its
    /// observed period) is due within this time, it is preempted on the first pass that sees the checkpoint, or once
    /// it is overdue by more than it takes to see one (<see cref="CheckpointRefreshInterval"/> plus two
    /// <see cref="ReconcileInterval"/>s); meanwhile the head waits with
    /// <see cref="Planning.WaitReasonCode.WaitingForCheckpoint"/>. Five minutes by default; zero preempts at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan PreemptionCheckpointGrace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// <see cref="PreemptionCheckpointGrace"/> of particular pools
    /// (<c>QueuedTraining:PreemptionCheckpointGraceByPool:&lt;instance type&gt;=&lt;hh:mm:ss&gt;</c>).
    /// </summary>
    public Dictionary<string, TimeSpan> PreemptionCheckpointGraceByPool { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Priority a waiting job gains per hour of waiting, in every pool without its own <see cref="AgingByPool"/>; 0 (the
    /// default) turns aging off. Aging orders the waiting jobs a pass looks at (<see cref="LookAhead"/>) and never lets a
    /// job preempt one of equal or higher priority.
    /// </summary>
    [Range(0, 1_000_000)]
    public double AgingPriorityPerHour { get; set; }

    /// <summary>The most priority aging adds to a job; 0 turns aging off.</summary>
    [Range(0, 1_000_000)]
    public int AgingMaxBoost { get; set; } = 100;

    /// <summary>
    /// <see cref="AgingPriorityPerHour"/> of particular pools (<c>QueuedTraining:AgingByPool:&lt;instance type&gt;=&lt;per hour&gt;</c>).
    /// </summary>
    public Dictionary<string, double> AgingByPool { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Teams sharing the pools (<c>QueuedTraining:Teams:&lt;team&gt;:…</c>): quotas, lending, borrow limits, fair-share
    /// weights and priority ceilings. None by default: then the queue schedules by priority alone, as one team.
    /// Change them by reloading configuration (each reload makes a new options object, picked up at the next pass), not
    /// by editing a live options object after the engine started: the scheduler builds each pool's shares once per
    /// options object.
    /// </summary>
    public Dictionary<string, TeamOptions> Teams { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The team of particular principals (<c>QueuedTraining:PrincipalTeam:&lt;principal&gt;=&lt;team&gt;</c>).</summary>
    public Dictionary<string, string> PrincipalTeam { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The tag that names a job's team, for principals who may act for more than one team.</summary>
    [Required]
    [StringLength(128, MinimumLength = 1)]
    public string TeamTagKey { get; set; } = "team";

    /// <summary>
    /// How fast fair share forgets: a team's usage (instance-seconds) halves every half-life. Six hours by default, so
    /// that a burst of last week does not cost a team today.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan FairShareHalfLife { get; set; } = TimeSpan.FromHours(6);

    /// <summary>True when teams are configured: then quotas, lending and fair share apply.</summary>
    public bool HasTeams => Teams.Count > 0;

    /// <summary>This replica's identity in the scheduler lease; a fresh one per process by default.</summary>
    [Required]
    public string ReplicaId { get; set; } = $"{Environment.MachineName}-{Guid.NewGuid():N}";

    /// <summary>The highest priority <paramref name="principal"/> may set when it is not an operator.</summary>
    public int MaxPriorityFor(string principal) =>
        PrincipalMaxPriority.TryGetValue(principal, out var ceiling) ? ceiling : MaxPriority;

    /// <summary>
    /// The highest priority <paramref name="principal"/> may set on a job of <paramref name="team"/> when it is not an
    /// operator: its own ceiling, lowered to the team's when the team has one.
    /// </summary>
    public int MaxPriorityFor(string principal, string team)
    {
        var ceiling = MaxPriorityFor(principal);
        return Teams.TryGetValue(team, out var options) && options.MaxPriority is { } teamCeiling ? Math.Min(ceiling, teamCeiling) : ceiling;
    }

    /// <summary>The minimum runtime of <paramref name="instanceType"/>'s pool, before any job's own request.</summary>
    public TimeSpan MinimumRuntimeFor(string instanceType) =>
        MinimumRuntimeByPool.TryGetValue(instanceType, out var minimum) ? minimum : MinimumRuntimeBeforePreemption;

    /// <summary>The preemption rules of <paramref name="instanceType"/>'s pool, as the planner takes them.</summary>
    internal Planning.PreemptionRules PreemptionRulesFor(string instanceType) =>
        new(
            MinimumRuntimeFor(instanceType),
            MaxMinimumRuntime,
            MaxPreemptionsPerJob,
            UncheckpointedPreemptionByPool.TryGetValue(instanceType, out var uncheckpointed) ? uncheckpointed : UncheckpointedPreemption)
        {
            CheckpointGrace = PreemptionCheckpointGraceByPool.TryGetValue(instanceType, out var grace) ? grace : PreemptionCheckpointGrace,
            CheckpointSeenWithin = CheckpointRefreshInterval + (2 * ReconcileInterval),
        };

    /// <summary>How waiting lifts priorities in <paramref name="instanceType"/>'s pool.</summary>
    internal Planning.Aging AgingFor(string instanceType) =>
        new(AgingByPool.TryGetValue(instanceType, out var perHour) ? perHour : AgingPriorityPerHour, AgingMaxBoost);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Capacity.Count == 0)
        {
            yield return new ValidationResult(
                "Configure at least one pool: QueuedTraining:Capacity:<instance type>=<instances>.",
                [nameof(Capacity)]);
        }

        foreach (var (type, instances) in Capacity)
        {
            if (instances < 1)
            {
                yield return new ValidationResult($"Capacity of '{type}' must be at least 1, not {instances}.", [nameof(Capacity)]);
            }
        }

        foreach (var type in UncheckpointedPreemptionByPool.Keys.Concat(AgingByPool.Keys).Concat(PreemptionCheckpointGraceByPool.Keys).Where(type => !Capacity.ContainsKey(type)))
        {
            yield return new ValidationResult($"A per-pool preemption or aging setting names '{type}', which has no Capacity.", [nameof(Capacity)]);
        }

        foreach (var (type, perHour) in AgingByPool)
        {
            if (perHour < 0 || double.IsNaN(perHour) || double.IsInfinity(perHour))
            {
                yield return new ValidationResult($"AgingByPool of '{type}' must be a finite number of at least 0, not {perHour}.", [nameof(AgingByPool)]);
            }
        }

        foreach (var (type, grace) in PreemptionCheckpointGraceByPool)
        {
            if (grace < TimeSpan.Zero || grace > TimeSpan.FromDays(1))
            {
                yield return new ValidationResult($"PreemptionCheckpointGraceByPool of '{type}' must be between 0 and 1 day, not {grace}.", [nameof(PreemptionCheckpointGraceByPool)]);
            }
        }

        foreach (var error in TeamValidation.Validate(this))
        {
            yield return error;
        }

        foreach (var (type, minimum) in MinimumRuntimeByPool)
        {
            if (!Capacity.ContainsKey(type))
            {
                yield return new ValidationResult($"MinimumRuntimeByPool names '{type}', which has no Capacity.", [nameof(MinimumRuntimeByPool)]);
            }

            if (minimum < TimeSpan.Zero || minimum > TimeSpan.FromDays(7))
            {
                yield return new ValidationResult($"MinimumRuntimeByPool of '{type}' must be between 0 and 7 days, not {minimum}.", [nameof(MinimumRuntimeByPool)]);
            }
        }
    }
}

/// <summary>Validates <see cref="QueueOptions"/> at start-up: its attributes and its own rules, every error at once.</summary>
[Microsoft.Extensions.Options.OptionsValidator]
internal sealed partial class QueueOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<QueueOptions>;
