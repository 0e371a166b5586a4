using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;

namespace QueuedTraining.Benchmarks.Infrastructure;

/// <summary>
/// A closed-loop load generator: <c>workers</c> concurrent requests, each worker sending its next request as
/// soon as the previous answer arrives, for a fixed time. Only loopback addresses are accepted.
/// </summary>
internal sealed class HttpLoadGenerator : IDisposable
{
    private readonly HttpClient _client;

    public HttpLoadGenerator(Uri baseAddress, int workers)
    {
        if (!IPAddress.TryParse(baseAddress.Host, out var address) || !IPAddress.IsLoopback(address))
        {
            throw new ArgumentException("The load generator only targets loopback addresses.", nameof(baseAddress));
        }

        Workers = workers;
        _client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers, UseProxy = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public int Workers { get; }

    /// <summary>POSTs the bodies made by <paramref name="body"/> (a name and JSON per call) to <paramref name="path"/> for <paramref name="duration"/>.</summary>
    public async Task<LoadRun> RunAsync(string path, Func<(string Name, string Json)> body, TimeSpan duration, CancellationToken cancellationToken)
    {
        var acknowledged = new ConcurrentBag<string>();
        var latencies = new ConcurrentBag<List<long>>();
        var failures = 0L;
        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        async Task WorkerAsync()
        {
            var mine = new List<long>(4096);
            while (Stopwatch.GetTimestamp() < stopAt && !cancellationToken.IsCancellationRequested)
            {
                var (name, json) = body();
                using var content = new StringContent(json, Encoding.UTF8, "application/json");
                var started = Stopwatch.GetTimestamp();
                using var response = await _client.PostAsync(path, content, cancellationToken);
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                mine.Add(Stopwatch.GetTimestamp() - started);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    acknowledged.Add(name);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }

            latencies.Add(mine);
        }

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(WorkerAsync, cancellationToken)));
        watch.Stop();
        self.Refresh();
        var cpu = self.TotalProcessorTime - cpuBefore;
        return new LoadRun([.. acknowledged], latencies.SelectMany(l => l).ToList(), Interlocked.Read(ref failures), watch.Elapsed, cpu);
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>
/// What one load run saw: the names acknowledged with 202, each request's latency, non-202 answers, and the CPU
/// time the whole process (load generator and in-process service together) spent in the run.
/// </summary>
internal sealed record LoadRun(IReadOnlyList<string> Acknowledged, IReadOnlyList<long> LatencyTicks, long Failures, TimeSpan Elapsed, TimeSpan CpuTime)
{
    public double RequestsPerSecond => LatencyTicks.Count / Elapsed.TotalSeconds;

    public double CpuMicrosecondsPerRequest => CpuTime.TotalMicroseconds / Math.Max(1, LatencyTicks.Count);
}
