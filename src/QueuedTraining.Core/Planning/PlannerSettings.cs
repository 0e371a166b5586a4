namespace QueuedTraining.Core.Planning;

/// <summary>The scheduling settings a plan depends on.</summary>
/// <param name="LookAhead">The most waiting jobs of a pool one plan considers.</param>
/// <param name="StaleClaimAge">
/// How long a claim may stay "starting" before its CreateTrainingJob is sent again (the deciding replica may have
/// crashed or paused between its claim and its call).
/// </param>
/// <param name="ExplainWaits">
/// Whether the plan says why each job it does not start waits (<see cref="PoolPlan.Waits"/>). Queries that show reasons
/// need them; the scheduler acts only on starts and preemptions, and saves building a reason per waiting job per pass.
/// </param>
internal sealed record PlannerSettings(int LookAhead, TimeSpan StaleClaimAge, bool ExplainWaits = true);
