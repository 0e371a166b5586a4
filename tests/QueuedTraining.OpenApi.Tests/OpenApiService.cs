using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using QueuedTraining.Testing.Server;

namespace QueuedTraining.OpenApi.Tests;

/// <summary>The real service with API keys for the tenants alice and bob, and its OpenAPI document as it serves it.</summary>
internal static class OpenApiService
{
    public const string AliceKey = "alice-openapi-key";
    public const string BobKey = "bob-openapi-key";

    public static Task<QueueServiceHost> StartAsync() => QueueServiceHost.StartAsync(new Dictionary<string, string?>
    {
        ["QueuedTraining:Auth:Mode"] = "ApiKey",
        ["QueuedTraining:Auth:Principals:alice:ApiKeySha256:0"] = Sha256(AliceKey),
        ["QueuedTraining:Auth:Principals:bob:ApiKeySha256:0"] = Sha256(BobKey),
        ["QueuedTraining:Backend"] = "Simulated",
        ["QueuedTraining:Capacity:" + TrainingJobs.SmallPool] = "1",
    });

    /// <summary>The document's text; the document is served without credentials.</summary>
    public static async Task<string> FetchDocumentAsync(QueueServiceHost host)
    {
        using var response = await host.Http.GetAsync("openapi/v1.json");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /openapi/v1.json answered {(int)response.StatusCode}: {text}");
        return text;
    }

    public static async Task<JsonObject> FetchParsedDocumentAsync(QueueServiceHost host) =>
        JsonNode.Parse(await FetchDocumentAsync(host))!.AsObject();

    public static AuthenticationHeaderValue Bearer(string key) => new("Bearer", key);

    private static string Sha256(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
