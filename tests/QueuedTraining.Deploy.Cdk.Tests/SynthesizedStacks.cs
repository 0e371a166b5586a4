using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using QueuedTraining.Deploy.Cdk;

namespace QueuedTraining.Deploy.Cdk.Tests;

/// <summary>
/// The stacks the tests read, synthesized once per run: jsii starts node and loads the CDK library, which takes seconds.
/// Synthesis needs node on PATH; without it the first test fails with jsii's own message naming node.
/// </summary>
internal static class SynthesizedStacks
{
    public const string EcrImage = "123456789012.dkr.ecr.us-east-1.amazonaws.com/queuedtraining:0.1.0";
    public const string TrainingRoleA = "arn:aws:iam::123456789012:role/SageMakerTrainingRole";
    public const string TrainingRoleB = "arn:aws:iam::123456789012:role/SageMakerTrainingRoleGpu";
    public const string SecretArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:queuedtraining-events-AbCdEf";
    public const string CertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555";
    public const string DomainName = "queue.example.com";

    static SynthesizedStacks()
    {
        // jsii prints a banner on every start under an old node; it says nothing the tests act on.
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1");
    }

    private static readonly Lazy<Synthesized> LazyDefault = new(() => Synthesize(Props()));

    private static readonly Lazy<Synthesized> LazyPublicImage = new(() =>
    {
        var props = Props();
        props.ContainerImage = "ghcr.io/example/queuedtraining:0.1.0";
        props.CheckpointPrefixes = [];
        return Synthesize(props);
    });

    /// <summary>An ECR image, two training roles, checkpoint prefixes in two buckets, three replicas, two pools.</summary>
    public static Synthesized Default => LazyDefault.Value;

    /// <summary>An image outside ECR and no checkpoint prefixes.</summary>
    public static Synthesized PublicImage => LazyPublicImage.Value;

    public static QueuedTrainingStackProps Props() => new()
    {
        TableName = "queuedtraining-jobs",
        ContainerImage = EcrImage,
        CertificateArn = CertificateArn,
        DomainName = DomainName,
        EventsApiKeySecretArn = SecretArn,
        TrainingRoleArns = [TrainingRoleA, TrainingRoleB],
        CheckpointPrefixes = ["s3://ml-checkpoints/team-a", "s3://ml-checkpoints/team-b/", "s3://other-bucket/ckpt"],
        Replicas = 3,
        Capacity = new Dictionary<string, int>(StringComparer.Ordinal) { ["ml.p5.48xlarge"] = 2, ["ml.g5.xlarge"] = 4 },
    };

    public static Synthesized Synthesize(QueuedTrainingStackProps props)
    {
        var app = new App();
        var stack = new QueuedTrainingStack(app, "QueuedTraining", props);
        var template = Template.FromStack(stack);
        return new Synthesized(template, JsonNode.Parse(JsonSerializer.Serialize(template.ToJSON()))!.AsObject());
    }
}

/// <summary>A synthesized stack: CDK's assertion view and the CloudFormation JSON.</summary>
internal sealed record Synthesized(Template Template, JsonObject Json)
{
    public IEnumerable<(string LogicalId, JsonObject Resource)> Resources(string type) =>
        Json["Resources"]!.AsObject()
            .Where(r => (string?)r.Value!["Type"] == type)
            .Select(r => (r.Key, r.Value!.AsObject()));

    public (string LogicalId, JsonObject Resource) Single(string type) => Assert.Single(Resources(type));

    /// <summary>Every statement of every identity policy (AWS::IAM::Policy, inline role policies) and resource policy.</summary>
    public IEnumerable<(string Where, JsonObject Statement)> AllStatements()
    {
        foreach (var (id, resource) in Json["Resources"]!.AsObject().Select(r => (r.Key, r.Value!.AsObject())))
        {
            var properties = resource["Properties"] as JsonObject;
            var documents = new List<JsonNode?>();
            switch ((string?)resource["Type"])
            {
                case "AWS::IAM::Policy" or "AWS::IAM::ManagedPolicy" or "AWS::SQS::QueuePolicy" or "AWS::S3::BucketPolicy":
                    documents.Add(properties?["PolicyDocument"]);
                    break;
                case "AWS::IAM::Role":
                    documents.AddRange((properties?["Policies"] as JsonArray ?? []).Select(p => p!["PolicyDocument"]));
                    break;
            }

            foreach (var statement in documents.SelectMany(d => d?["Statement"] as JsonArray ?? []))
            {
                yield return (id, statement!.AsObject());
            }
        }
    }

    /// <summary>The statements of the service's own role.</summary>
    public IReadOnlyList<JsonObject> TaskRoleStatements()
    {
        var policy = Resources("AWS::IAM::Policy").Single(p => ((JsonArray)p.Resource["Properties"]!["Roles"]!)
            .Any(r => ((string?)r!["Ref"])?.StartsWith("ServiceTaskRole", StringComparison.Ordinal) == true));
        return ((JsonArray)policy.Resource["Properties"]!["PolicyDocument"]!["Statement"]!).Select(s => s!.AsObject()).ToList();
    }

    /// <summary>A value that may be one string or an array, as strings (intrinsic functions as their JSON).</summary>
    public static IReadOnlyList<string> Strings(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => array.Select(Text).ToList(),
        _ => [Text(node)],
    };

    public static string Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? string.Empty;
}
