namespace QueuedTraining.Core.Planning;

/// <summary>The scheduling settings a plan depends on.</summary>
/// <param name="LookAhead">The most waiting jobs of a pool one plan considers.</param>
/// <param name="StaleClaimAge">
/// How long a claim may stay "starting" before its CreateTrainingJob is sent again (the deciding replica may have
/// crashed or paused between its claim and its call).
/// </param>
internal sealed record PlannerSettings(int LookAhead, TimeSpan StaleClaimAge);
