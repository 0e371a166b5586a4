using QueuedTraining.Core.Planning;

namespace QueuedTraining.Core.Tests;

/// <summary>The planner most tests plan with: priority preemption, a look-ahead of 8, stale claims after 30 seconds.</summary>
internal static class TestPlanners
{
    public static readonly PlannerSettings Settings = new(LookAhead: 8, StaleClaimAge: TimeSpan.FromSeconds(30));

    public static readonly QueuePlanner Priority = new(new PriorityPreemptionPolicy(), Settings);
}
