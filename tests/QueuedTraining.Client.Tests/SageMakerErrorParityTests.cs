using QueuedTraining.Client.Tests.Fixtures;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Testing.Server;

namespace QueuedTraining.Client.Tests;

/// <summary>
/// A launcher's error handling through the decorator: each refusal surfaces as the SageMaker exception the queue's
/// SageMaker-compatible endpoint answers on the wire for the same refusal (read by the project's own signed SageMaker
/// client), carrying the queue's detail and the queue's exception as its cause.
/// </summary>
public sealed class SageMakerErrorParityTests
{
    private const string AliceApiKey = "alice-api-key-for-parity-tests";
    private const string BobApiKey = "bob-api-key-for-parity-tests";

    [Fact]
    public async Task CreateTrainingJob_NameTakenByAnotherRequest_ThrowsResourceInUseAsTheEndpointDoes()
    {
        await using var parity = await Parity.StartAsync();

        var wire = await parity.OnWireAsync(async (sageMaker, name) =>
        {
            await sageMaker.CreateTrainingJobAsync(TrainingJobs.New(name, simulatedSeconds: 600));
            await sageMaker.CreateTrainingJobAsync(TrainingJobs.New(name, simulatedSeconds: 601));
        });
        var decorated = await parity.ThroughDecoratorAsync(async (sageMaker, _, name) =>
        {
            await sageMaker.CreateTrainingJobAsync(TrainingJobs.New(name, simulatedSeconds: 600));
            await sageMaker.CreateTrainingJobAsync(TrainingJobs.New(name, simulatedSeconds: 601));
        });

        Assert.IsType<SageMakerResourceInUseException>(wire);
        AssertSameAsWire(wire, decorated);
        Assert.IsType<QueuedJobConflictException>(decorated.InnerException);
    }

    [Fact]
    public async Task CreateTrainingJob_InstanceTypeWithoutCapacity_ThrowsValidationExceptionAsTheEndpointDoes()
    {
        await using var parity = await Parity.StartAsync();

        var wire = await parity.OnWireAsync((sageMaker, name) => sageMaker.CreateTrainingJobAsync(TrainingJobs.New(name, instanceType: "ml.g5.xlarge")));
        var decorated = await parity.ThroughDecoratorAsync((sageMaker, _, name) => sageMaker.CreateTrainingJobAsync(TrainingJobs.New(name, instanceType: "ml.g5.xlarge")));

        Assert.IsType<SageMakerValidationException>(wire);
        AssertSameAsWire(wire, decorated);
        var cause = Assert.IsType<QueuedJobValidationException>(decorated.InnerException);
        Assert.Contains(cause.Errors, e => e.Field == "ResourceConfig.InstanceType");
    }

    [Fact]
    public async Task StopTrainingJob_JobEnded_ThrowsValidationExceptionAsTheEndpointDoes()
    {
        await using var parity = await Parity.StartAsync();

        var wire = await parity.OnWireAsync(async (sageMaker, name) =>
        {
            await sageMaker.CreateTrainingJobAsync(TrainingJobs.New(name, simulatedSeconds: 600));
            await sageMaker.StopTrainingJobAsync(new StopTrainingJobRequest { TrainingJobName = name });
            await Parity.UntilEndedAsync(sageMaker, name);
            await sageMaker.StopTrainingJobAsync(new StopTrainingJobRequest { TrainingJobName = name });
        });
        var decorated = await parity.ThroughDecoratorAsync(async (sageMaker, _, name) =>
        {
            await sageMaker.CreateTrainingJobAsync(TrainingJobs.New(name, simulatedSeconds: 600));
            await sageMaker.StopTrainingJobAsync(new StopTrainingJobRequest { TrainingJobName = name });
            await Parity.UntilEndedAsync(sageMaker, name);
            await sageMaker.StopTrainingJobAsync(new StopTrainingJobRequest { TrainingJobName = name });
        });

        Assert.IsType<SageMakerValidationException>(wire);
        AssertSameAsWire(wire, decorated);
        Assert.IsType<QueuedJobFinishedException>(decorated.InnerException);
    }

    [Fact]
    public async Task StopTrainingJob_AnotherPrincipalsJob_ThrowsAccessDeniedAsTheEndpointDoes()
    {
        await using var parity = await Parity.StartAsync();

        var wire = await parity.OnWireAsync(async (sageMaker, name) =>
        {
            await sageMaker.CreateTrainingJobAsync(TrainingJobs.New(name, simulatedSeconds: 600));
            await parity.BobOnWire.StopTrainingJobAsync(new StopTrainingJobRequest { TrainingJobName = name });
        });
        var decorated = await parity.ThroughDecoratorAsync(async (sageMaker, bob, name) =>
        {
            await sageMaker.CreateTrainingJobAsync(TrainingJobs.New(name, simulatedSeconds: 600));
            await bob.StopTrainingJobAsync(new StopTrainingJobRequest { TrainingJobName = name });
        });

        Assert.Equal(SageMakerErrorCodes.AccessDeniedException, wire.ErrorCode);
        AssertSameAsWire(wire, decorated);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, Assert.IsType<TrainingQueueException>(decorated.InnerException).StatusCode);
    }

    [Fact]
    public async Task CreateTrainingJob_QueueUnreachable_ThrowsSageMakerClientExceptionWithTheQueueErrorAsCause()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var closed = new Uri($"http://127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}/");
        listener.Stop();
        await using var client = ClientHost.Create(closed, configure: o => o.MaxRetryAttempts = 0);

        var error = await Assert.ThrowsAsync<SageMakerClientException>(
            () => client.SageMaker.CreateTrainingJobAsync(TrainingJobs.New(TrainingJobs.UniqueName("unreachable"))));

        Assert.Equal(SageMakerErrorCodes.TransportFailure, error.ErrorCode);
        Assert.IsType<TrainingQueueUnavailableException>(error.InnerException);
    }

    [Fact]
    public void ErrorCodeOf_EveryProblemCode_IsMappedByCodeNotByStatus()
    {
        var codes = typeof(ProblemCodes).GetFields()
            .Where(f => f.IsLiteral && f.Name != nameof(ProblemCodes.TypePrefix))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        // An unmapped code would fall back to its status; 404's fallback is ResourceNotFound, which only job-not-found means.
        var fellBack = codes
            .Where(code => code != ProblemCodes.JobNotFound)
            .Where(code => ProblemSageMakerErrors.ErrorCodeOf(code, System.Net.HttpStatusCode.NotFound) == SageMakerErrorCodes.ResourceNotFound);

        Assert.True(codes.Count > 20);
        Assert.Empty(fellBack);
    }

    private static void AssertSameAsWire(SageMakerException wire, SageMakerException decorated)
    {
        Assert.Equal(wire.GetType(), decorated.GetType());
        Assert.Equal(wire.ErrorCode, decorated.ErrorCode);
        Assert.Equal(wire.StatusCode, decorated.StatusCode);
        var cause = Assert.IsAssignableFrom<TrainingQueueException>(decorated.InnerException);
        Assert.False(string.IsNullOrWhiteSpace(decorated.Message));
        Assert.Equal(cause.Message, decorated.Message);
    }

    /// <summary>One queue service in ApiKey mode, with SigV4 keys for alice and bob and API keys for alice and bob.</summary>
    private sealed class Parity : IAsyncDisposable
    {
        private readonly QueueServiceHost _host;
        private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
        private readonly ClientHost _alice;
        private readonly ClientHost _bob;

        private Parity(QueueServiceHost host)
        {
            _host = host;
            AliceOnWire = AccessKeys.ClientFor(host.BaseUrl, _http, AccessKeys.Alice, AccessKeys.AliceSecret);
            BobOnWire = AccessKeys.ClientFor(host.BaseUrl, _http, AccessKeys.Bob, AccessKeys.BobSecret);
            _alice = ClientHost.Create(host.BaseUrl, configure: o => o.ApiKey = AliceApiKey);
            _bob = ClientHost.Create(host.BaseUrl, configure: o => o.ApiKey = BobApiKey);
        }

        public ISageMakerTrainingClient AliceOnWire { get; }

        public QueuedTraining.SageMaker.SageMakerTrainingClient BobOnWire { get; }

        public static async Task<Parity> StartAsync()
        {
            var settings = QueueSettings.SimulatedWithAccessKeys();
            settings["QueuedTraining:Auth:Mode"] = "ApiKey";
            settings["QueuedTraining:Auth:ApiKeys:" + AliceApiKey] = "alice";
            settings["QueuedTraining:Auth:ApiKeys:" + BobApiKey] = "bob";
            return new Parity(await QueueServiceHost.StartAsync(settings));
        }

        public async Task<SageMakerException> OnWireAsync(Func<ISageMakerTrainingClient, string, Task> act) =>
            await Assert.ThrowsAnyAsync<SageMakerException>(() => act(AliceOnWire, TrainingJobs.UniqueName("wire")));

        public async Task<SageMakerException> ThroughDecoratorAsync(Func<ISageMakerTrainingClient, ISageMakerTrainingClient, string, Task> act) =>
            await Assert.ThrowsAnyAsync<SageMakerException>(() => act(_alice.SageMaker, _bob.SageMaker, TrainingJobs.UniqueName("decorated")));

        public static Task UntilEndedAsync(ISageMakerTrainingClient sageMaker, string name) =>
            Polling.UntilAsync(
                async () => (await sageMaker.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = name })).TrainingJobStatus == TrainingJobStatus.Stopped,
                $"{name} ended");

        public async ValueTask DisposeAsync()
        {
            await _alice.DisposeAsync();
            await _bob.DisposeAsync();
            _http.Dispose();
            await _host.DisposeAsync();
        }
    }
}
