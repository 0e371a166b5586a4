using System.Text.Json;
using System.Text.Json.Nodes;
using QueuedTraining.Testing.Processes;

namespace QueuedTraining.Deploy.Cdk.Tests;

/// <summary>
/// The app as `cdk synth` runs it (cdk.json's command): settings from CDK context in <c>CDK_CONTEXT_JSON</c>, the cloud
/// assembly written to <c>CDK_OUTDIR</c>. Run from the app's own build output (of this test's configuration), as the
/// CLI would after building: the copy beside the tests resolves its dependencies to the tests' newer versions.
/// </summary>
public sealed class CdkAppTests
{
    private static readonly string App = Path.Combine(
        QueuedTraining.Testing.RepositoryFiles.Root, "src", "QueuedTraining.Deploy.Cdk", "bin",
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "QueuedTraining.Deploy.Cdk.dll");

    [Fact]
    public async Task Synth_ContextSettings_WritesTheStackTemplate()
    {
        var outDir = Directory.CreateTempSubdirectory("qt-cdk-out-").FullName;
        try
        {
            var context = new JsonObject
            {
                ["image"] = SynthesizedStacks.EcrImage,
                ["certificateArn"] = SynthesizedStacks.CertificateArn,
                ["domainName"] = SynthesizedStacks.DomainName,
                ["eventsApiKeySecretArn"] = SynthesizedStacks.SecretArn,
                ["trainingRoleArns"] = $"{SynthesizedStacks.TrainingRoleA}, {SynthesizedStacks.TrainingRoleB}",
                ["capacity"] = "ml.p5.48xlarge=2,ml.g5.xlarge=4",
                ["replicas"] = "4",
                ["stackName"] = "QueuedTrainingProd",
            };
            var (code, error) = await RunAsync(outDir, context);

            Assert.True(code == 0, $"the app exited {code}: {error}");
            var template = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "QueuedTrainingProd.template.json")))!;
            var resources = template["Resources"]!.AsObject().Select(r => r.Value!).ToList();
            var service = Assert.Single(resources, r => (string?)r["Type"] == "AWS::ECS::Service");
            Assert.Equal(4, (int)service["Properties"]!["DesiredCount"]!);
            var passRole = template.ToJsonString();
            Assert.Contains(SynthesizedStacks.TrainingRoleB, passRole, StringComparison.Ordinal);
            Assert.Contains("QueuedTraining__Capacity__ml.g5.xlarge", passRole, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    [Fact]
    public async Task Synth_NoContext_ExitsTwoNamingEveryMissingSetting()
    {
        var outDir = Directory.CreateTempSubdirectory("qt-cdk-out-").FullName;
        try
        {
            var (code, error) = await RunAsync(outDir, new JsonObject());

            Assert.Equal(2, code);
            foreach (var key in new[] { "'image'", "'certificateArn'", "'domainName'", "'eventsApiKeySecretArn'", "'trainingRoleArns'" })
            {
                Assert.Contains(key, error, StringComparison.Ordinal);
            }

            Assert.False(File.Exists(Path.Combine(outDir, "QueuedTraining.template.json")));
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    private static async Task<(int Code, string Error)> RunAsync(string outDir, JsonObject context)
    {
        var result = await ChildProcess.RunAsync("dotnet", [App], new ChildProcessOptions
        {
            Environment = new Dictionary<string, string>
            {
                ["CDK_OUTDIR"] = outDir,
                ["CDK_CONTEXT_JSON"] = context.ToJsonString(new JsonSerializerOptions()),
                ["JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION"] = "1",
            },
        });
        return (result.ExitCode, result.StandardError);
    }
}
