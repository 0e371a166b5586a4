using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Planning;
using QueuedTraining.Core.Teams;

namespace QueuedTraining.Benchmarks.Scenarios;

/// <summary>
/// Three teams sharing <see cref="KueueScaleTrace"/>'s pools, one per lending policy: <c>lender</c> holds about 3/8 of
/// each pool and lends what it leaves idle (<see cref="LendingMode.Lend"/>); <c>borrower</c> holds about 5/16, lends and
/// borrows up to a quarter of the pool more (<see cref="LendingMode.LendAndBorrow"/> with a borrow limit); <c>shared</c>
/// holds no quota and lives on the remainder and on lent quota by fair share, with weight 2. The quotas leave 5/16 of
/// each pool as the shared remainder. Jobs are dealt to the teams by a seeded draw, so every run assigns the same.
/// </summary>
internal static class TraceTeams
{
    public const string Lender = "lender";
    public const string Borrower = "borrower";
    public const string Shared = "shared";

    /// <summary>The principal the trace submits as: a member of every team, so its team tags are accepted.</summary>
    public const string Principal = TraceReplayScenario.Principal;

    public static IReadOnlyList<string> Names { get; } = [Lender, Borrower, Shared];

    /// <summary>The three teams' settings over <paramref name="capacity"/>.</summary>
    public static Dictionary<string, TeamOptions> Configure(IReadOnlyDictionary<string, int> capacity)
    {
        var lender = new TeamOptions { Members = [Principal] };
        var borrower = new TeamOptions { Members = [Principal] };
        var shared = new TeamOptions { Members = [Principal], Weight = 2 };
        foreach (var (pool, instances) in capacity)
        {
            lender.Quota[pool] = instances * 3 / 8;
            lender.Lending[pool] = LendingMode.Lend;
            borrower.Quota[pool] = instances * 5 / 16;
            borrower.Lending[pool] = LendingMode.LendAndBorrow;
            borrower.BorrowLimit[pool] = instances / 4;
        }

        return new Dictionary<string, TeamOptions>(StringComparer.Ordinal) { [Lender] = lender, [Borrower] = borrower, [Shared] = shared };
    }

    /// <summary>The team of each job of <paramref name="trace"/>, by name: an equal, seeded draw among the three.</summary>
    public static Dictionary<string, string> Assign(IReadOnlyList<TraceJob> trace, int seed)
    {
        var random = new Random(seed);
        return trace.ToDictionary(job => job.Name, _ => Names[random.Next(Names.Count)], StringComparer.Ordinal);
    }

    /// <summary>The trace's request for <paramref name="job"/>, tagged with its team.</summary>
    public static CreateTrainingJobRequest Request(TraceJob job, IReadOnlyDictionary<string, string> teams)
    {
        var request = KueueScaleTrace.Request(job);
        request.Tags = [.. request.Tags ?? [], new Tag { Key = "team", Value = teams[job.Name] }];
        return request;
    }
}
