using System.Collections.Concurrent;
using System.Diagnostics;
using QueuedTraining.Backends.Simulated;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core;
using QueuedTraining.Core.Commands;
using QueuedTraining.Core.Storage;
using QueuedTraining.Stores.DynamoDB;
using QueuedTraining.Stores.DynamoDB.Tests;
using QueuedTraining.Testing;
using Xunit;
using Xunit.Abstractions;

namespace QueuedTraining.Replicas.Tests;

/// <summary>
/// Three replicas share one DynamoDB table (a real moto_server) and one simulated SageMaker, on the real
/// clock so that they genuinely race. Users submit, cancel and reprioritise through random replicas,
/// SageMaker's events reach random replicas (a few are lost), and every replica now and then freezes just
/// before a fenced write for longer than the lease, so leadership moves while decisions are in flight.
/// The verdict comes from SageMaker's side of the history, not from the queue's own records.
/// </summary>
[Collection(MotoServerTests.Name)]
public sealed class ThreeReplicaTests(MotoServerFixture moto, ITestOutputHelper output)
{
    private const int JobCount = 1_000;
    private const int Meddlings = 300;
    private const int LongLowPriorityJobs = 24;
    private static readonly int[] PauseAtFencedWrite = [100, 400];
    private const double LostEventRate = 0.01;
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Pause = LeaseDuration * 1.5;

    // A deadline against hanging forever, not a performance assertion: reaching it means jobs were stuck.
    // moto_server makes index queries and transactions cost time in proportion to the table, so 1,000 jobs take
    // 7.5 to 13 minutes here on 2 shared cores.
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(40);

    private static readonly Dictionary<string, int> Capacity = new(StringComparer.Ordinal) { [TestJobs.P5] = 4, [TestJobs.G5] = 6 };
    private static readonly JobCaller Operator = new("operator", IsOperator: true);

    [Fact]
    public async Task ThreeReplicas_ConcurrentTrafficOnOneTable_NeverExceedCapacityOrOverlapAttempts()
    {
        var clock = Stopwatch.StartNew();
        var table = await moto.CreateTableAsync();
        var recorder = new SageMakerRecorder();
        using var sageMaker = new SimulatedSageMaker(
            Microsoft.Extensions.Options.Options.Create(new SimulatedSageMakerOptions { DefaultDuration = TimeSpan.FromSeconds(0.1), StopGracePeriod = TimeSpan.FromMilliseconds(30) }),
            TimeProvider.System);
        await using var proxy = new SerializingProxy(moto.ServiceUrl);
        var options = MotoServerFixture.Options(table, proxy.Url);
        var stores = Enumerable.Range(0, 4).Select(_ => new DynamoDBJobStore(options)).ToList();
        var replicas = Enumerable.Range(0, 3).Select(i => CreateReplica($"replica-{i}", stores[i], recorder, sageMaker)).ToList();
        var observer = stores[3];
        using var stop = new CancellationTokenSource();
        var deliveries = new ConcurrentQueue<Task>();
        var deliveryErrors = new ConcurrentQueue<Exception>();
        try
        {
            foreach (var replica in replicas)
            {
                await replica.Process.StartAsync(stop.Token);
            }

            var pump = PumpEventsAsync(sageMaker, recorder, replicas, deliveries, deliveryErrors, stop.Token);
            var (submitted, cancelled) = await DriveTrafficAsync(replicas, recorder);
            await WaitUntilEveryJobEndsAsync(observer, clock, () => $"{clock.Elapsed.TotalSeconds:0} s: {recorder.Transitions.Count(t => t.Status == TrainingJobStatus.Completed)} completed on SageMaker; DynamoDB requests {proxy.Operations.Values.Sum()}");

            await stop.CancelAsync();
            foreach (var replica in replicas)
            {
                await replica.Process.StopAsync(CancellationToken.None);
            }

            await pump;
            while (sageMaker.StateChanges.TryRead(out var late))
            {
                recorder.Record(late);
            }

            await Task.WhenAll(deliveries);
            var elapsed = clock.Elapsed;

            var check = HistoryCheck.Run(recorder.Transitions, recorder.Calls, Capacity);
            var finals = new Dictionary<string, QueuedTraining.Core.Jobs.QueuedJob>(StringComparer.Ordinal);
            foreach (var name in submitted)
            {
                finals[name] = (await observer.GetAsync(name))!;
            }

            Report(replicas, recorder, check, finals, cancelled, elapsed);
            output.WriteLine($"DynamoDB requests: {string.Join(", ", proxy.Operations.OrderByDescending(o => o.Value).Select(o => $"{o.Key}={o.Value}"))}");

            Assert.Equal(JobCount, submitted.Count);
            Assert.Empty(deliveryErrors);
            Assert.Empty(replicas.SelectMany(r => r.ProcessLog.Errors));
            Assert.Empty(check.UnknownJobs);
            Assert.Empty(check.CapacityViolations);
            Assert.Empty(check.OverlappingAttempts);
            Assert.All(finals.Values, job => Assert.True(job.State.IsTerminal(), $"{job.Name} is {job.State}"));
            foreach (var (name, job) in finals)
            {
                var completions = check.Completions.GetValueOrDefault(name);
                if (cancelled.ContainsKey(name))
                {
                    Assert.True(completions <= 1, $"{name} (cancelled) completed {completions} times");
                    Assert.Contains(job.State, new[] { JobState.Cancelled, JobState.Stopped, JobState.Completed });
                }
                else
                {
                    Assert.True(completions == 1, $"{name} completed {completions} times on SageMaker");
                    Assert.Equal(JobState.Completed, job.State);
                }
            }

            // The run must have exercised what it claims to: preemption or stops, and stale leaders fenced off.
            Assert.True(check.StoppedAttempts > 0, "no SageMaker job was ever stopped");
            Assert.True(replicas.Sum(r => r.ProcessLog.Count(LeaseLostEventId)) > 0, "no stale leader was ever fenced off");
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }

            await moto.DeleteTableAsync(table);
        }
    }

    // SchedulerProcess's log event ids.
    private const int LeadershipEventId = 1500;
    private const int LeaseLostEventId = 1501;

    private static Replica CreateReplica(string id, IJobStore store, SageMakerRecorder recorder, SimulatedSageMaker sageMaker)
    {
        var options = new QueueOptions
        {
            Capacity = new Dictionary<string, int>(Capacity, StringComparer.Ordinal),
            LeaseDuration = LeaseDuration,
            ReconcileInterval = TimeSpan.FromSeconds(2),
            StartRetryBaseDelay = TimeSpan.FromMilliseconds(100),
            StartRetryMaxDelay = TimeSpan.FromSeconds(1),
        };
        var replica = new Replica(id, store, recorder.ClientFor(id, sageMaker), options, TimeProvider.System);
        var fencedWrites = 0;
        replica.Store.BeforeFencedWrite = async (_, _, _) =>
        {
            // Freeze the whole leader (its pass is sequential) past its lease, right before the write goes out.
            if (PauseAtFencedWrite.Contains(Interlocked.Increment(ref fencedWrites)))
            {
                await Task.Delay(Pause);
            }
        };
        return replica;
    }

    /// <summary>Records every SageMaker transition in order and hands it, like EventBridge, to a random replica.</summary>
    private static async Task PumpEventsAsync(
        SimulatedSageMaker sageMaker,
        SageMakerRecorder recorder,
        List<Replica> replicas,
        ConcurrentQueue<Task> deliveries,
        ConcurrentQueue<Exception> errors,
        CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var change in sageMaker.StateChanges.ReadAllAsync(cancellationToken))
            {
                recorder.Record(change);
                if (Random.Shared.NextDouble() < LostEventRate)
                {
                    continue; // Lost: reconciliation must notice.
                }

                var replica = replicas[Random.Shared.Next(replicas.Count)];
                deliveries.Enqueue(Task.Run(async () =>
                {
                    try
                    {
                        await replica.Processor.HandleAsync(change, CancellationToken.None);
                    }
                    catch (Exception ex)
                    {
                        errors.Enqueue(ex);
                    }
                }, CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Submits every job through random replicas while cancelling and reprioritising earlier ones.</summary>
    private static async Task<(List<string> Submitted, ConcurrentDictionary<string, bool> Cancelled)> DriveTrafficAsync(
        List<Replica> replicas,
        SageMakerRecorder recorder)
    {
        var submitted = new List<string>();
        var cancelled = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var next = -1;

        async Task SubmitAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < JobCount)
            {
                var name = $"job-{index:D4}";
                var pool = index % 2 == 0 ? TestJobs.P5 : TestJobs.G5;
                var instances = Random.Shared.Next(1, pool == TestJobs.P5 ? 3 : 4);
                // The first jobs are long and of the lowest priority: they take the empty pools at once, and the
                // higher-priority jobs that follow preempt them. The rest are short.
                var isLong = index < LongLowPriorityJobs;
                var seconds = Math.Round(isLong ? 4 + (Random.Shared.NextDouble() * 4) : 0.05 + (Random.Shared.NextDouble() * 0.25), 3);
                var priority = isLong ? 0 : Random.Shared.Next(1, 4);
                var request = TestJobs.Request(name, priority, pool, instances, seconds);
                request.HyperParameters![SageMakerRecorder.QueuedJobHyperParameter] = name;
                await replicas[Random.Shared.Next(replicas.Count)].Commands.SubmitAsync("team", request);
                lock (submitted)
                {
                    submitted.Add(name);
                }

                await Task.Delay(Random.Shared.Next(0, 4));
            }
        }

        async Task MeddleAsync()
        {
            for (var done = 0; done < Meddlings;)
            {
                string? target = null;
                lock (submitted)
                {
                    if (submitted.Count > 0)
                    {
                        // Mostly recent jobs, which are still waiting; sometimes one of the long ones, which may be running.
                        target = Random.Shared.NextDouble() < 0.2
                            ? submitted[Random.Shared.Next(0, Math.Min(submitted.Count, LongLowPriorityJobs))]
                            : submitted[Math.Max(0, submitted.Count - 1 - Random.Shared.Next(0, 40))];
                    }
                }

                await Task.Delay(Random.Shared.Next(1, 12));
                if (target is null)
                {
                    continue;
                }

                var replica = replicas[Random.Shared.Next(replicas.Count)];
                try
                {
                    if (Random.Shared.NextDouble() < 0.35)
                    {
                        await replica.Commands.CancelAsync(target, Operator);
                        cancelled[target] = true;
                    }
                    else
                    {
                        await replica.Commands.ChangePriorityAsync(target, Random.Shared.Next(0, 6), Operator);
                    }
                }
                catch (JobFinishedException)
                {
                    // It ended first; that is a fine outcome of the race.
                }

                done++;
            }
        }

        var tasks = Enumerable.Range(0, 4).Select(_ => Task.Run(SubmitAsync)).Append(Task.Run(MeddleAsync)).ToList();
        await Task.WhenAll(tasks);
        return (submitted, cancelled);
    }

    private async Task WaitUntilEveryJobEndsAsync(DynamoDBJobStore observer, Stopwatch clock, Func<string> progress)
    {
        var looks = 0;
        JobState[] open = [JobState.Pending, JobState.Preempted, JobState.Starting, JobState.Running, JobState.Preempting, JobState.Stopping];
        while (true)
        {
            // One small index query per look while work remains (moto is the bottleneck; do not load it).
            QueuedTraining.Core.Jobs.QueuedJob? stuck = null;
            foreach (var state in open)
            {
                stuck = (await observer.ListAsync(new JobListQuery(state, 1))).Jobs is [var first, ..] ? first : null;
                if (stuck is not null)
                {
                    break;
                }
            }

            if (stuck is null)
            {
                return;
            }

            if (clock.Elapsed > GiveUpAfter)
            {
                throw new TimeoutException($"Jobs still open after {GiveUpAfter}, for example {stuck.Name}: {stuck.State} ({stuck.Reason})");
            }

            if (++looks % 15 == 0)
            {
                output.WriteLine(progress());
                Console.WriteLine(progress());
            }

            await Task.Delay(2_000);
        }
    }

    private void Report(
        List<Replica> replicas,
        SageMakerRecorder recorder,
        HistoryCheck check,
        Dictionary<string, QueuedTraining.Core.Jobs.QueuedJob> finals,
        ConcurrentDictionary<string, bool> cancelled,
        TimeSpan elapsed)
    {
        output.WriteLine($"elapsed {elapsed.TotalSeconds:0.0} s; {finals.Count} jobs; {cancelled.Count} cancelled by users");
        output.WriteLine($"final states: {string.Join(", ", finals.Values.GroupBy(j => j.State).Select(g => $"{g.Key}={g.Count()}"))}");
        output.WriteLine($"SageMaker: {recorder.Calls.Count(c => c.Operation == "CreateTrainingJob")} creates, {recorder.Calls.Count(c => c.Operation == "StopTrainingJob")} stops, {recorder.Transitions.Count} transitions, {check.StoppedAttempts} attempts stopped");
        output.WriteLine($"peak use: {string.Join(", ", check.PeakUse.Select(p => $"{p.Key} {p.Value}/{Capacity[p.Key]}"))}");
        output.WriteLine($"attempts per job: max {finals.Values.Max(j => j.Attempts.Count)}, preempted at least once: {finals.Values.Count(j => j.Attempts.Count > 1)}");
        foreach (var replica in replicas)
        {
            output.WriteLine($"{replica.Id}: creates {recorder.Calls.Count(c => c.ReplicaId == replica.Id && c.Operation == "CreateTrainingJob")}, leadership changes {replica.ProcessLog.Count(LeadershipEventId)}, stale passes fenced off {replica.ProcessLog.Count(LeaseLostEventId)}, failed passes {replica.ProcessLog.Count(1502)}");
        }
    }
}
