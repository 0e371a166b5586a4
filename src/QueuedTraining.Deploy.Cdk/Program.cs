using System.Globalization;
using Amazon.CDK;
using QueuedTraining.Deploy.Cdk;

// `cdk synth -c image=... -c certificateArn=...` (docs/deploy-aws.md): every setting comes from CDK context.
var app = new App();
string Context(string key) => app.Node.TryGetContext(key)?.ToString() ?? string.Empty;
IList<string> List(string key) => Context(key).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

var props = new QueuedTrainingStackProps
{
    TableName = Context("tableName") is { Length: > 0 } table ? table : "queuedtraining-jobs",
    ContainerImage = Context("image"),
    CertificateArn = Context("certificateArn"),
    DomainName = Context("domainName"),
    EventsApiKeySecretArn = Context("eventsApiKeySecretArn"),
    TrainingRoleArns = List("trainingRoleArns"),
    CheckpointPrefixes = List("checkpointPrefixes"),
    Replicas = int.TryParse(Context("replicas"), CultureInfo.InvariantCulture, out var replicas) ? replicas : 2,
    Capacity = List("capacity").Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture), StringComparer.Ordinal),
    Env = new Amazon.CDK.Environment
    {
        Account = System.Environment.GetEnvironmentVariable("CDK_DEFAULT_ACCOUNT"),
        Region = System.Environment.GetEnvironmentVariable("CDK_DEFAULT_REGION"),
    },
};
_ = new QueuedTrainingStack(app, Context("stackName") is { Length: > 0 } name ? name : "QueuedTraining", props);
app.Synth();
