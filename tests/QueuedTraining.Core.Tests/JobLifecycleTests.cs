using System.Text.RegularExpressions;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

public sealed partial class JobLifecycleTests
{
    private static readonly DateTimeOffset At = TestJobs.Epoch.AddMinutes(5);

    public static TheoryData<JobState, JobEvent> EveryStateAndEvent()
    {
        var data = new TheoryData<JobState, JobEvent>();
        foreach (var state in Enum.GetValues<JobState>())
        {
            foreach (var @event in Enum.GetValues<JobEvent>())
            {
                data.Add(state, @event);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryStateAndEvent))]
    public void Move_EveryStateAndEvent_MovesAsTheTableSaysOrIsRefused(JobState state, JobEvent @event)
    {
        var job = JobIn(state, attempts: 1);
        var expected = JobLifecycle.Next(state, @event, ranBefore: false);

        if (expected is null)
        {
            var refused = Assert.Throws<IllegalJobTransitionException>(() => JobLifecycle.Move(job, @event, "why", At));
            Assert.Equal(state, refused.State);
            Assert.Equal(@event, refused.Event);
            Assert.False(JobLifecycle.Allows(job, @event));
            return;
        }

        var moved = JobLifecycle.Move(job, @event, "why", At);
        Assert.Equal(expected, moved.State);
        Assert.Equal(new JobHistoryEntry(At, expected.Value, "why"), moved.History[^1]);
        Assert.Equal(job.History.Count + 1, moved.History.Count);
        Assert.Equal(At, moved.UpdatedAt);
        Assert.Equal("why", moved.Reason);
    }

    [Fact]
    public void Next_TerminalStates_AllowNoEventAtAll()
    {
        foreach (var state in Enum.GetValues<JobState>().Where(s => s.IsTerminal()))
        {
            Assert.All(Enum.GetValues<JobEvent>(), e => Assert.Null(JobLifecycle.Next(state, e, ranBefore: true)));
        }
    }

    [Theory]
    [InlineData(JobState.Starting, JobEvent.StartDeferred)]
    [InlineData(JobState.Running, JobEvent.AttemptVanished)]
    [InlineData(JobState.Preempting, JobEvent.AttemptVanished)]
    public void Move_BackToTheQueue_PendingUnlessAnEarlierAttemptRanAndDropsTheAttemptThatDidNot(JobState state, JobEvent @event)
    {
        var first = JobLifecycle.Move(JobIn(state, attempts: 1), @event, "back", At);
        var resumed = JobLifecycle.Move(JobIn(state, attempts: 2), @event, "back", At);

        Assert.Equal(JobState.Pending, first.State);
        Assert.Empty(first.Attempts);
        Assert.Equal(JobState.Preempted, resumed.State);
        Assert.Equal([1], resumed.Attempts.Select(a => a.Number));
    }

    [Fact]
    public void Move_PreemptedAttemptStops_KeepsTheAttemptThatRan()
    {
        var preempted = JobLifecycle.Move(JobIn(JobState.Preempting, attempts: 1), JobEvent.AttemptStopped, "stopped", At);

        Assert.Equal(JobState.Preempted, preempted.State);
        Assert.Single(preempted.Attempts);
    }

    [Fact]
    public void Move_ManyMoves_KeepsOnlyTheNewestHistoryEntries()
    {
        var job = JobIn(JobState.Pending, attempts: 0);
        for (var i = 0; i < QueuedJob.MaxHistoryEntries + 7; i++)
        {
            job = JobLifecycle.Move(job, JobEvent.PriorityChanged, $"change {i}", At);
        }

        Assert.Equal(QueuedJob.MaxHistoryEntries, job.History.Count);
        Assert.Equal($"change {QueuedJob.MaxHistoryEntries + 6}", job.History[^1].Reason);
    }

    [Fact]
    public void JobStatesDocument_MoveTable_MatchesTheLifecycleBothWays()
    {
        var documented = ReadDocumentedMoves();
        var actual = new HashSet<(JobState, JobEvent, JobState, JobState)>();
        foreach (var state in Enum.GetValues<JobState>())
        {
            foreach (var @event in Enum.GetValues<JobEvent>())
            {
                if (JobLifecycle.Next(state, @event, ranBefore: false) is { } to)
                {
                    actual.Add((state, @event, to, JobLifecycle.Next(state, @event, ranBefore: true)!.Value));
                }
            }
        }

        Assert.Empty(actual.Except(documented).Select(m => $"missing from docs/job-states.md: {m}"));
        Assert.Empty(documented.Except(actual).Select(m => $"documented but not in JobLifecycle: {m}"));
    }

    [Fact]
    public void ProductCode_OutsideTheLifecycle_NeverAssignsAJobsState()
    {
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(RepositoryFile("src"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) || file.EndsWith("JobLifecycle.cs", StringComparison.Ordinal))
            {
                continue;
            }

            var text = File.ReadAllText(file);
            if (StateAssignment().IsMatch(text))
            {
                offenders.Add(Path.GetRelativePath(RepositoryFile("."), file));
            }
        }

        Assert.Empty(offenders);
    }

    private static HashSet<(JobState, JobEvent, JobState, JobState)> ReadDocumentedMoves()
    {
        var moves = new HashSet<(JobState, JobEvent, JobState, JobState)>();
        foreach (var line in File.ReadLines(RepositoryFile("docs/job-states.md")))
        {
            var match = MoveRow().Match(line);
            if (match.Success)
            {
                moves.Add((
                    Enum.Parse<JobState>(match.Groups["from"].Value, ignoreCase: true),
                    Enum.Parse<JobEvent>(match.Groups["event"].Value),
                    Enum.Parse<JobState>(match.Groups["to"].Value, ignoreCase: true),
                    Enum.Parse<JobState>(match.Groups["resumed"].Value, ignoreCase: true)));
            }
        }

        Assert.NotEmpty(moves);
        return moves;
    }

    private static QueuedJob JobIn(JobState state, int attempts)
    {
        var job = TestJobs.Job("job-a", state: state);
        for (var number = 1; number <= attempts; number++)
        {
            job = job.WithNewAttempt(new JobAttempt(number, AttemptNames.Create(job.Name, number, job.EnqueuedAt), TestJobs.Epoch, EndedAt: number < attempts ? TestJobs.Epoch : null));
        }

        return job;
    }

    internal static string RepositoryFile(string relative) => RepositoryFiles.PathOf(relative);

    [GeneratedRegex(@"^\| (?<from>[a-z]+) \| `(?<event>[A-Za-z]+)` \| (?<to>[a-z]+) \| (?<resumed>[a-z]+) \|$")]
    private static partial Regex MoveRow();

    // "with { State = ..." or an object initializer's "State = JobState.X" on a job: both bypass the lifecycle.
    [GeneratedRegex(@"with\s*\{[^}]*\bState\s*=[^=]|new\s+QueuedJob\s*\{[^}]*\bState\s*=[^=]")]
    private static partial Regex StateAssignment();
}
