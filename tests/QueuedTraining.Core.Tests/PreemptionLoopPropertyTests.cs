using CsCheck;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

/// <summary>
/// No preemption loops: random sequences of submissions, priority changes, completions and time, each followed by
/// planning and applying until the pool settles, the plans applied through <see cref="JobLifecycle"/>.
/// </summary>
public sealed class PreemptionLoopPropertyTests
{
    private static readonly QueuePlanner Planner = new(new PriorityPreemptionPolicy(), new PlannerSettings(LookAhead: 16, StaleClaimAge: TimeSpan.FromMinutes(5)));

    private enum Step
    {
        Submit,
        ChangePriority,
        Complete,
        Advance,
    }

    private static readonly Gen<(Step Kind, int A, int B)> AnyStep =
        Gen.Select(Gen.Int[0, 9], Gen.Int[0, 1_000], Gen.Int[0, 1_000])
            .Select((kind, a, b) => (kind switch { < 3 => Step.Submit, < 5 => Step.ChangePriority, < 7 => Step.Complete, _ => Step.Advance }, a, b));

    // Aging and jobs that checkpoint (or not) are drawn too: neither may open a cycle.
    private static readonly Gen<(int Capacity, PreemptionRules Rules, Aging Aging, (Step Kind, int A, int B)[] Steps)> Run =
        Gen.Select(Gen.Int[1, 4], Gen.Int[0, 90], Gen.Int[0, 3], Gen.Bool, Gen.Int[0, 2], AnyStep.Array[1, 60])
            .Select((capacity, minimumSeconds, budget, neverUncheckpointed, agingPerHour, steps) =>
                (capacity,
                 new PreemptionRules(
                     TimeSpan.FromSeconds(minimumSeconds),
                     TimeSpan.FromMinutes(5),
                     budget,
                     neverUncheckpointed ? UncheckpointedPreemption.Never : UncheckpointedPreemption.LastResort),
                 new Aging(agingPerHour * 30, 10),
                 steps));

    [Fact]
    public void PlanAndApply_RandomSequences_NeverCycleAndStayWithinBudget() =>
        Run.Sample(run =>
        {
            var world = new World(run.Capacity, run.Rules, run.Aging);
            foreach (var step in run.Steps)
            {
                world.Take(step);
                world.Settle();
            }
        });

    [Fact]
    public void PlanAndApply_PrioritiesSwappedBackAndForth_PreemptsEachJobNoMoreThanItsBudget()
    {
        var world = new World(capacity: 1, new PreemptionRules(TimeSpan.Zero, TimeSpan.Zero, MaxPreemptionsPerJob: 2));
        world.Take((Step.Submit, 1, 0));
        world.Settle();
        world.Take((Step.Submit, 2, 0));
        world.Settle();
        for (var round = 0; round < 10; round++)
        {
            // Whichever waits is raised above whichever runs: without a budget each swap would preempt again.
            world.Take((Step.ChangePriority, world.IndexOfWaiting(), 10 + round));
            world.Settle();
        }

        Assert.Equal(4, world.TotalPreemptions);
        Assert.All(world.Jobs, j => Assert.Equal(2, j.Preemptions));
    }

    /// <summary>One pool, its jobs, the clock, and every preemption decided so far.</summary>
    private sealed class World(int capacity, PreemptionRules rules, Aging? aging = null)
    {
        private readonly List<string> _names = [];
        private readonly Dictionary<string, QueuedJob> _jobs = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _priorityVersion = new(StringComparer.Ordinal);
        private readonly List<(string Victim, string For, int VictimVersion, int ForVersion)> _edges = [];
        private DateTimeOffset _now = TestJobs.Epoch;

        public IEnumerable<QueuedJob> Jobs => _jobs.Values;

        public int TotalPreemptions => _edges.Count;

        public int IndexOfWaiting() => _names.FindIndex(n => _jobs[n].State.IsWaiting());

        public void Take((Step Kind, int A, int B) step)
        {
            switch (step.Kind)
            {
                case Step.Submit:
                    var name = $"j{_names.Count}";
                    _names.Add(name);
                    _priorityVersion[name] = 0;
                    var submitted = TestJobs.Job(name, step.A % 5, instanceCount: 1 + (step.B % capacity), enqueuedAt: _now);
                    var checkpoints = step.B % 3 != 0 ? submitted with { CheckpointS3Uri = $"s3://bucket/{name}/", LastCheckpointAt = _now } : submitted;
                    _jobs[name] = JobLifecycle.Submitted(checkpoints, "submitted", _now);
                    break;
                case Step.ChangePriority when _names.Count > 0:
                    var changed = _jobs[_names[step.A % _names.Count]];
                    if (!changed.State.IsTerminal())
                    {
                        _jobs[changed.Name] = JobLifecycle.Move(changed with { Priority = step.B % 20 }, JobEvent.PriorityChanged, "priority changed", _now);
                        _priorityVersion[changed.Name]++;
                    }

                    break;
                case Step.Complete when _names.Count > 0:
                    var done = _jobs[_names[step.A % _names.Count]];
                    if (done.State == JobState.Running)
                    {
                        _jobs[done.Name] = JobLifecycle.Move(done, JobEvent.AttemptCompleted, "completed", _now);
                    }

                    break;
                case Step.Advance:
                    _now += TimeSpan.FromSeconds(step.A % 120);
                    break;
            }
        }

        /// <summary>Plans and applies at the current time until a plan asks for nothing; decisions must converge.</summary>
        public void Settle()
        {
            var limit = 2 * _jobs.Count + 2;
            var passes = new List<string>();
            for (var pass = 0; pass < limit; pass++)
            {
                var holding = _jobs.Values.Where(j => j.State.HoldsCapacity()).ToList();
                var waiting = _jobs.Values.Where(j => j.State.IsWaiting()).OrderBy(j => j.QueueKey, StringComparer.Ordinal).ToList();
                var plan = Planner.Plan(new PoolSnapshot(TestJobs.P5, capacity, holding, waiting, WaitingIsComplete: true, rules, aging), _now);
                if (plan.IsIdle)
                {
                    CheckInvariants();
                    return;
                }

                passes.Add($"starts [{string.Join(", ", plan.Starts.Select(j => $"{j.Name} p{j.Priority}x{j.InstanceCount}"))}]"
                    + $" preempts [{string.Join(", ", plan.Preemptions.Select(p => $"{p.Victim.Name} p{p.Victim.Priority} for {p.For.Name} p{p.For.Priority}"))}]"
                    + $" stale [{string.Join(", ", plan.StaleClaims.Select(j => j.Name))}]");

                foreach (var job in plan.Starts)
                {
                    var claimed = JobLifecycle.Move(job.WithNewAttempt(new JobAttempt(job.NextAttemptNumber, $"{job.Name}-q{job.NextAttemptNumber}", _now)), JobEvent.StartClaimed, "starting", _now);
                    _jobs[job.Name] = JobLifecycle.Move(claimed, JobEvent.StartConfirmed, "running", _now);
                }

                foreach (var (victim, candidate, _) in plan.Preemptions)
                {
                    Assert.True(victim.Priority < candidate.Priority, $"{victim.Name} ({victim.Priority}) preempted for {candidate.Name} ({candidate.Priority})");
                    Assert.True(rules.MayPreempt(victim, _now), $"{victim.Name} preempted while protected or out of budget");
                    Assert.DoesNotContain(_edges, e => e.Victim == candidate.Name && e.For == victim.Name && IsCurrent(e));
                    _edges.Add((victim.Name, candidate.Name, _priorityVersion[victim.Name], _priorityVersion[candidate.Name]));

                    // SageMaker stops the attempt at once: the instances come back within this instant.
                    var preempting = JobLifecycle.Move(victim, JobEvent.PreemptRequested, "preempted", _now);
                    _jobs[victim.Name] = JobLifecycle.Move(preempting, JobEvent.AttemptStopped, "stopped", _now);
                }
            }

            Assert.Fail($"decisions did not settle within {limit} passes at {_now:O}:{Environment.NewLine}{string.Join(Environment.NewLine, passes)}");
        }

        private bool IsCurrent((string Victim, string For, int VictimVersion, int ForVersion) edge) =>
            _priorityVersion[edge.Victim] == edge.VictimVersion && _priorityVersion[edge.For] == edge.ForVersion;

        private void CheckInvariants()
        {
            Assert.True(_jobs.Values.Where(j => j.State.HoldsCapacity()).Sum(j => j.InstanceCount) <= capacity);
            if (rules.MaxPreemptionsPerJob > 0)
            {
                Assert.All(_jobs.Values, j => Assert.InRange(j.Preemptions, 0, rules.MaxPreemptionsPerJob));
                Assert.InRange(_edges.Count, 0, rules.MaxPreemptionsPerJob * _jobs.Count);
            }

            Assert.All(_jobs.Values, j => Assert.Equal(_edges.Count(e => e.Victim == j.Name), j.Preemptions));

            // While the priorities that justified them hold, "was preempted for" has no cycle of any length.
            var beats = _edges.Where(IsCurrent).ToLookup(e => e.Victim, e => e.For, StringComparer.Ordinal);
            var done = new HashSet<string>(StringComparer.Ordinal);
            foreach (var start in _names)
            {
                Visit(start, []);
            }

            void Visit(string name, HashSet<string> path)
            {
                Assert.True(path.Add(name), $"preemption cycle through {name}: {string.Join(" -> ", path)}");
                if (done.Add(name))
                {
                    foreach (var next in beats[name])
                    {
                        Visit(next, path);
                    }
                }

                path.Remove(name);
            }
        }
    }
}
