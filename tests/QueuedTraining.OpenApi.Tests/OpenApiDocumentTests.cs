using System.Text.Json.Nodes;
using QueuedTraining.Testing.Server;

namespace QueuedTraining.OpenApi.Tests;

/// <summary>The document the running service serves describes every operation fully enough to generate a client from.</summary>
public sealed class OpenApiDocumentTests : IAsyncLifetime
{
    private const string ProblemJson = "application/problem+json";
    private static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    private QueueServiceHost _host = null!;
    private JsonObject _document = null!;

    public async Task InitializeAsync()
    {
        _host = await OpenApiService.StartAsync();
        _document = await OpenApiService.FetchParsedDocumentAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private IEnumerable<(string Path, string Method, JsonObject Operation)> Operations() =>
        from path in _document["paths"]!.AsObject()
        from method in path.Value!.AsObject()
        where Methods.Contains(method.Key)
        select (path.Key, method.Key, method.Value!.AsObject());

    private JsonObject Operation(string operationId) =>
        Operations().Single(o => (string?)o.Operation["operationId"] == operationId).Operation;

    [Fact]
    public void Document_EveryOperation_HasAUniqueOperationId()
    {
        var operations = Operations().ToList();
        var ids = operations.Select(o => (string?)o.Operation["operationId"]).ToList();

        Assert.Equal(11, operations.Count);
        Assert.All(operations, o => Assert.False(string.IsNullOrEmpty((string?)o.Operation["operationId"]), $"{o.Method} {o.Path} has no operationId"));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(
            ["ApplySageMakerEvent", "CancelJob", "ChangeJobPriority", "GetCapacity", "GetJob", "GetTeams", "ListJobs", "ReleaseJob", "StreamJobEvents", "SubmitJob", "SubmitJobWhatIf"],
            ids.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("SubmitJob", "CreateTrainingJobRequest")]
    [InlineData("SubmitJobWhatIf", "CreateTrainingJobRequest")]
    [InlineData("ChangeJobPriority", "JobPatch")]
    [InlineData("ApplySageMakerEvent", "EventBridgeEvent")]
    public void Document_OperationsThatReadABody_DeclareItsJsonSchema(string operationId, string schema)
    {
        var body = Operation(operationId)["requestBody"];

        Assert.NotNull(body);
        Assert.True((bool?)body["required"]);
        Assert.Equal("#/components/schemas/" + schema, (string?)body["content"]?["application/json"]?["schema"]?["$ref"]);
        Assert.NotNull(_document["components"]?["schemas"]?[schema]?["properties"]);
    }

    [Fact]
    public void Document_EveryPostAndPatch_DeclaresABodyUnlessItTakesNone()
    {
        // Release takes its reason in the query string; every other POST and PATCH reads a JSON body.
        var bodiless = new[] { "ReleaseJob" };

        foreach (var (path, method, operation) in Operations().Where(o => o.Method is "post" or "patch"))
        {
            var id = (string?)operation["operationId"];
            Assert.True(
                bodiless.Contains(id) ? operation["requestBody"] is null : operation["requestBody"]?["content"]?["application/json"] is not null,
                $"{method} {path} ({id}): request body {(bodiless.Contains(id) ? "declared but none is read" : "missing")}");
        }
    }

    [Fact]
    public void Document_EveryErrorResponse_IsAQueueProblem()
    {
        foreach (var (path, method, operation) in Operations())
        {
            var errors = operation["responses"]!.AsObject().Where(r => r.Key.StartsWith('4') || r.Key.StartsWith('5')).ToList();
            Assert.True(errors.Count >= 3, $"{method} {path} lists {errors.Count} error responses");
            Assert.All(errors, e => Assert.Equal(
                "#/components/schemas/QueueProblem", (string?)e.Value?["content"]?[ProblemJson]?["schema"]?["$ref"]));
        }

        var problem = _document["components"]!["schemas"]!["QueueProblem"]!;
        Assert.Equal(["code", "status", "title", "type"], problem["required"]!.AsArray().Select(n => (string)n!).Order(StringComparer.Ordinal));
        Assert.NotNull(problem["properties"]?["errors"]);
    }

    [Theory]
    [InlineData("SubmitJob", new[] { "400", "401", "409", "413", "415", "429", "503" })]
    [InlineData("SubmitJobWhatIf", new[] { "400", "401", "413", "415", "429", "503" })]
    [InlineData("GetJob", new[] { "401", "404", "429", "503" })]
    [InlineData("ListJobs", new[] { "400", "401", "429", "503" })]
    [InlineData("CancelJob", new[] { "401", "403", "404", "409", "429", "503" })]
    [InlineData("ChangeJobPriority", new[] { "400", "401", "403", "404", "409", "413", "415", "429", "503" })]
    [InlineData("ReleaseJob", new[] { "401", "403", "404", "409", "429", "503" })]
    [InlineData("GetCapacity", new[] { "401", "429", "503" })]
    [InlineData("StreamJobEvents", new[] { "401", "429", "503" })]
    [InlineData("GetTeams", new[] { "401", "429", "503" })]
    [InlineData("ApplySageMakerEvent", new[] { "400", "401", "403", "413", "415", "503" })]
    public void Document_Operation_ListsTheProblemsItCanAnswer(string operationId, string[] statuses)
    {
        var errors = Operation(operationId)["responses"]!.AsObject().Select(r => r.Key).Where(k => k[0] is '4' or '5');

        Assert.Equal(statuses, errors.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Document_RetryableProblems_CarryRetryAfter()
    {
        var retryable = Operations()
            .SelectMany(o => o.Operation["responses"]!.AsObject().Where(r => r.Key is "429" or "503").Select(r => (o.Path, o.Method, r.Key, Response: r.Value!)))
            .ToList();

        Assert.Equal(21, retryable.Count);
        Assert.All(retryable, r => Assert.True(
            (string?)r.Response["headers"]?["Retry-After"]?["schema"]?["type"] == "integer",
            $"{r.Method} {r.Path} {r.Key} does not say Retry-After"));
    }

    [Fact]
    public void Document_SecuritySchemes_AreTheBearerAndXApiKeyHeadersTheServiceReads()
    {
        var schemes = _document["components"]!["securitySchemes"]!;

        Assert.Equal("http", (string?)schemes["bearer"]?["type"]);
        Assert.Equal("bearer", (string?)schemes["bearer"]?["scheme"]);
        Assert.Equal("apiKey", (string?)schemes["apiKey"]?["type"]);
        Assert.Equal("header", (string?)schemes["apiKey"]?["in"]);
        Assert.Equal("X-Api-Key", (string?)schemes["apiKey"]?["name"]);
        foreach (var (path, method, operation) in Operations())
        {
            // With API keys configured, one of the two is required: no empty (anonymous) requirement.
            var requirements = operation["security"]?.AsArray().Select(r => string.Join('+', r!.AsObject().Select(s => s.Key))).ToList();
            Assert.True(requirements is ["bearer", "apiKey"], $"{method} {path} security: {string.Join(" | ", requirements ?? [])}");
        }
    }

    [Fact]
    public void Document_Integers_AreTypedIntegerOnly()
    {
        var mixed = new List<string>();
        Walk(_document, "#", mixed);

        Assert.Empty(mixed);
        var priority = _document["components"]!["schemas"]!["TrainingJobResource"]!["properties"]!["priority"]!;
        Assert.Equal("integer", (string?)priority["type"]);
        Assert.Null(priority["pattern"]);
        Assert.Equal("integer", (string?)Operation("ListJobs")["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "pageSize")!["schema"]!["type"]);
    }

    [Fact]
    public void Document_SubmitBody_UsesSageMakersMemberNames()
    {
        var schemas = _document["components"]!["schemas"]!;

        Assert.NotNull(schemas["CreateTrainingJobRequest"]!["properties"]!["TrainingJobName"]);
        Assert.NotNull(schemas["CreateTrainingJobRequest"]!["properties"]!["ResourceConfig"]);
        Assert.Null(schemas["CreateTrainingJobRequest"]!["properties"]!["trainingJobName"]);
        Assert.Equal(
            ["InstanceCount", "InstanceType", "KeepAlivePeriodInSeconds", "VolumeSizeInGB"],
            schemas["ResourceConfig"]!["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["Key", "Value"], schemas["Tag"]!["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Document_SageMakerCompatibleEndpoint_IsLeftToAwsSdks()
    {
        Assert.False(_document["paths"]!.AsObject().ContainsKey("/"));
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/metrics")]
    [InlineData("/dashboard")]
    public void Document_ProbesScrapeAndDashboard_AreLeftOutOfTheApi(string path)
    {
        // Infrastructure answered outside /v1 (docs/observability.md#health): no generated client should call them.
        Assert.DoesNotContain(_document["paths"]!.AsObject(), p => p.Key.StartsWith(path, StringComparison.Ordinal));
    }

    [Fact]
    public void Document_EventStream_IsServerSentEventsOfJobEventsResumableByLastEventId()
    {
        var operation = Operation("StreamJobEvents");

        Assert.Equal("#/components/schemas/JobEventResource", (string?)operation["responses"]?["200"]?["content"]?["text/event-stream"]?["schema"]?["$ref"]);
        Assert.Contains(operation["parameters"]!.AsArray(), p => (string?)p!["name"] == "Last-Event-ID" && (string?)p["in"] == "header");
        Assert.NotNull(_document["components"]!["schemas"]!["JobEventResource"]!["properties"]!["type"]);
    }

    [Fact]
    public async Task Document_InLoopbackMode_AlsoAllowsNoCredential()
    {
        await using var loopback = await QueueServiceHost.StartAsync();
        var document = await OpenApiService.FetchParsedDocumentAsync(loopback);

        var security = document["paths"]!["/v1/jobs"]!["get"]!["security"]!.AsArray();

        Assert.Equal(3, security.Count);
        Assert.Contains(security, r => r!.AsObject().Count == 0);
    }

    /// <summary>Collects every schema whose type lets a number be a string, as the web JSON defaults would describe it.</summary>
    private static void Walk(JsonNode? node, string path, List<string> mixed)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["type"] is JsonArray types && types.Any(t => (string?)t == "integer" || (string?)t == "number") && types.Any(t => (string?)t == "string"))
                {
                    mixed.Add(path);
                }

                foreach (var (key, value) in obj)
                {
                    Walk(value, path + "/" + key, mixed);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], $"{path}/{i}", mixed);
                }

                break;
        }
    }
}
