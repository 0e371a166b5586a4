using System.Globalization;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Server;

namespace QueuedTraining.Samples.QuickStart;

/// <summary>
/// The seed design's example on QueuedTraining: two ml.p5.48xlarge instances, four jobs of mixed priority.
/// It starts the real queue service in process (SQLite in a temp folder, simulated SageMaker), submits the
/// jobs over HTTP a moment apart, and prints the queue each time it changes until every job completed.
/// </summary>
public static class QuickStartScenario
{
    private const string InstanceType = "ml.p5.48xlarge";

    /// <summary>The jobs: name, priority, simulated training seconds.</summary>
    public static IReadOnlyList<(string Name, int Priority, double Seconds)> Jobs { get; } =
    [
        ("job1", 1, 12),
        ("job2", 2, 6),
        ("job3", 1, 6),
        ("job4", 3, 6),
    ];

    /// <summary>Runs the scenario; <paramref name="timeScale"/> below 1 makes it faster (tests use it).</summary>
    public static async Task<QuickStartResult> RunAsync(TextWriter output, double timeScale = 1.0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var folder = Directory.CreateTempSubdirectory("queuedtraining-quickstart-").FullName;
        var app = QueuedTrainingApplication.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["QueuedTraining:Sqlite:Path"] = Path.Combine(folder, "queue.db"),
                ["QueuedTraining:Capacity:" + InstanceType] = "2",
                ["QueuedTraining:Simulated:StopGracePeriod"] = TimeSpan.FromSeconds(1 * timeScale).ToString("c", CultureInfo.InvariantCulture),
                ["QueuedTraining:ReconcileInterval"] = "00:00:02",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            });
        });

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            await output.WriteLineAsync($"QueuedTraining quick start: queue service on {address}, capacity 2 x {InstanceType}, simulated SageMaker.").ConfigureAwait(false);
            return await ReplayAsync(http, output, timeScale, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<QuickStartResult> ReplayAsync(HttpClient http, TextWriter output, double timeScale, CancellationToken cancellationToken)
    {
        var snapshots = new List<IReadOnlyList<TrainingJobResource>>();
        var last = string.Empty;
        var submitted = 0;
        var nextSubmit = TimeSpan.Zero;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(120 * Math.Max(timeScale, 0.25));
        while (clock.Elapsed < limit)
        {
            if (submitted < Jobs.Count && clock.Elapsed >= nextSubmit)
            {
                var (name, priority, seconds) = Jobs[submitted++];
                await output.WriteLineAsync($"{Environment.NewLine}[{clock.Elapsed.TotalSeconds,5:0.0}s] submit {name} (priority {priority})").ConfigureAwait(false);
                using var response = await http.PostAsJsonAsync("/v1/jobs", Request(name, priority, seconds * timeScale), SageMakerJsonContext.Default.CreateTrainingJobRequest, cancellationToken).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                nextSubmit = clock.Elapsed + TimeSpan.FromSeconds(1.5 * timeScale);
            }

            var page = await http.GetFromJsonAsync("/v1/jobs", QueueJsonContext.Default.JobPage, cancellationToken).ConfigureAwait(false);
            var table = Render(page!.Items);
            if (table != last)
            {
                last = table;
                snapshots.Add(page.Items);
                await output.WriteLineAsync($"[{clock.Elapsed.TotalSeconds,5:0.0}s]{Environment.NewLine}{table}").ConfigureAwait(false);
            }

            if (submitted == Jobs.Count && page.Items.All(j => j.State == JobState.Completed))
            {
                await output.WriteLineAsync("Every job completed.").ConfigureAwait(false);
                return new QuickStartResult(snapshots, page.Items, AllCompleted: true);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }

        return new QuickStartResult(snapshots, snapshots.LastOrDefault() ?? [], AllCompleted: false);
    }

    private static string Render(IReadOnlyList<TrainingJobResource> jobs)
    {
        var lines = new List<string> { $"  {"Job Name",-10} {"State",-11} {"Priority",8} {"Position",8}  Attempts", $"  {new string('-', 10)} {new string('-', 11)} {new string('-', 8)} {new string('-', 8)}  {new string('-', 8)}" };
        lines.AddRange(jobs
            .OrderByDescending(j => j.Priority)
            .ThenBy(j => j.EnqueuedAt)
            .Select(j => $"  {j.Name,-10} {j.State.ToString().ToLowerInvariant(),-11} {j.Priority,8} {(j.QueuePosition?.ToString(CultureInfo.InvariantCulture) ?? "-"),8}  {j.Attempts.Count,8}"));
        return string.Join(Environment.NewLine, lines);
    }

    private static CreateTrainingJobRequest Request(string name, int priority, double seconds) => new()
    {
        TrainingJobName = name,
        RoleArn = "arn:aws:iam::123456789012:role/SageMakerTrainingRole",
        AlgorithmSpecification = new AlgorithmSpecification
        {
            TrainingImage = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.0.1-gpu-py310",
            TrainingInputMode = "File",
        },
        OutputDataConfig = new OutputDataConfig { S3OutputPath = "s3://my-bucket/output" },
        ResourceConfig = new ResourceConfig { InstanceType = InstanceType, InstanceCount = 1, VolumeSizeInGB = 100 },
        StoppingCondition = new StoppingCondition { MaxRuntimeInSeconds = 86400 },
        HyperParameters = new Dictionary<string, string> { ["sim_duration_seconds"] = seconds.ToString("0.###", CultureInfo.InvariantCulture) },
        Tags = [new Tag { Key = "priority", Value = priority.ToString(CultureInfo.InvariantCulture) }],
    };
}

/// <summary>What the quick start saw.</summary>
/// <param name="Snapshots">Each distinct state of the queue, in order.</param>
/// <param name="Final">The jobs at the end.</param>
/// <param name="AllCompleted">Whether every job completed in time.</param>
public sealed record QuickStartResult(IReadOnlyList<IReadOnlyList<TrainingJobResource>> Snapshots, IReadOnlyList<TrainingJobResource> Final, bool AllCompleted);
