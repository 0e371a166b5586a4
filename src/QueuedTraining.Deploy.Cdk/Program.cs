using System.Globalization;
using Amazon.CDK;
using QueuedTraining.Deploy.Cdk;

// `cdk synth -c image=... -c certificateArn=...` (docs/deploy.md): every setting comes from CDK context.
var app = new App();
string Context(string key) => app.Node.TryGetContext(key)?.ToString() ?? string.Empty;
IList<string> List(string key) => Context(key).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

var capacity = new Dictionary<string, int>(StringComparer.Ordinal);
foreach (var pool in List("capacity").DefaultIfEmpty("ml.p5.48xlarge=2"))
{
    var parts = pool.Split('=', 2, StringSplitOptions.TrimEntries);
    capacity[parts[0]] = parts.Length == 2 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var count) ? count : 0;
}

var props = new QueuedTrainingStackProps
{
    TableName = Context("tableName") is { Length: > 0 } table ? table : "queuedtraining-jobs",
    ContainerImage = Context("image"),
    CertificateArn = Context("certificateArn"),
    DomainName = Context("domainName"),
    EventsApiKeySecretArn = Context("eventsApiKeySecretArn"),
    TrainingRoleArns = List("trainingRoleArns"),
    CheckpointPrefixes = List("checkpointPrefixes"),
    Replicas = Context("replicas") is { Length: > 0 } replicas ? (int.TryParse(replicas, CultureInfo.InvariantCulture, out var n) ? n : 0) : 2,
    Capacity = capacity,
    Env = new Amazon.CDK.Environment
    {
        Account = System.Environment.GetEnvironmentVariable("CDK_DEFAULT_ACCOUNT"),
        Region = System.Environment.GetEnvironmentVariable("CDK_DEFAULT_REGION"),
    },
};

// Say what is wrong and stop, rather than a stack trace from inside synthesis.
if (props.Problems() is { Count: > 0 } problems)
{
    await Console.Error.WriteLineAsync("QueuedTraining stack: " + string.Join(System.Environment.NewLine + "  ", problems.Prepend("invalid settings:")));
    return 2;
}

_ = new QueuedTrainingStack(app, Context("stackName") is { Length: > 0 } name ? name : "QueuedTraining", props);
app.Synth();
return 0;
