using Amazon.CDK;
using Amazon.CDK.AWS.EC2;

namespace QueuedTraining.Deploy.Cdk;

/// <summary>What a team chooses when it deploys the queue; everything else follows from the service's own needs.</summary>
public sealed class QueuedTrainingStackProps : StackProps
{
    /// <summary>The job table's name (the service's <c>QueuedTraining:DynamoDB:TableName</c>).</summary>
    public string TableName { get; set; } = "queuedtraining-jobs";

    /// <summary>The container image of the service (<c>dotnet publish</c> of QueuedTraining.Server), e.g. an ECR URI.</summary>
    public string ContainerImage { get; set; } = string.Empty;

    /// <summary>How many replicas of the service run; they share the DynamoDB table and one of them schedules.</summary>
    public int Replicas { get; set; } = 2;

    /// <summary>Instances the queue may use per instance type (<c>QueuedTraining:Capacity</c>).</summary>
    public IDictionary<string, int> Capacity { get; set; } = new Dictionary<string, int>(StringComparer.Ordinal) { ["ml.p5.48xlarge"] = 2 };

    /// <summary>The ARN of the ACM certificate the load balancer's HTTPS listener presents.</summary>
    public string CertificateArn { get; set; } = string.Empty;

    /// <summary>The host name the certificate covers and that points at the load balancer; EventBridge calls it.</summary>
    public string DomainName { get; set; } = string.Empty;

    /// <summary>The SageMaker execution roles jobs may name in <c>RoleArn</c>; the service may pass only these.</summary>
    public IList<string> TrainingRoleArns { get; set; } = [];

    /// <summary>
    /// S3 prefixes (<c>s3://bucket/prefix</c>) of training checkpoints the service may list to choose the victims that lose
    /// the least work; none by default, and then the service orders victims by attempt start.
    /// </summary>
    public IList<string> CheckpointPrefixes { get; set; } = [];

    /// <summary>
    /// The complete ARN of a Secrets Manager secret holding JSON <c>{"apiKey": "...", "apiKeySha256": "..."}</c>: the key
    /// EventBridge sends, and its SHA-256 the service compares with.
    /// </summary>
    public string EventsApiKeySecretArn { get; set; } = string.Empty;

    /// <summary>At most how many events a second EventBridge delivers to the service.</summary>
    public int EventsPerSecond { get; set; } = 20;

    /// <summary>The network; a new one (two availability zones, one NAT gateway) when not given.</summary>
    public IVpc? Vpc { get; set; }

    /// <summary>CPU units of one replica's task.</summary>
    public int Cpu { get; set; } = 512;

    /// <summary>Memory (MiB) of one replica's task.</summary>
    public int MemoryMiB { get; set; } = 1024;

    /// <summary>Every problem with these settings, or none.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ContainerImage)) problems.Add("ContainerImage (context 'image') is required.");
        if (string.IsNullOrWhiteSpace(CertificateArn)) problems.Add("CertificateArn (context 'certificateArn') is required.");
        if (string.IsNullOrWhiteSpace(DomainName)) problems.Add("DomainName (context 'domainName') is required.");
        if (string.IsNullOrWhiteSpace(EventsApiKeySecretArn)) problems.Add("EventsApiKeySecretArn (context 'eventsApiKeySecretArn') is required.");
        if (TrainingRoleArns.Count == 0) problems.Add("TrainingRoleArns (context 'trainingRoleArns') needs at least one role ARN.");
        if (TrainingRoleArns.Any(a => a.Contains('*', StringComparison.Ordinal))) problems.Add("TrainingRoleArns must name roles exactly, without '*'.");
        if (CheckpointPrefixes.Any(p => !p.StartsWith("s3://", StringComparison.Ordinal) || p.Contains('*', StringComparison.Ordinal) || p.Length <= 5))
            problems.Add("CheckpointPrefixes must be s3://bucket[/prefix] without '*'.");
        if (Replicas < 1) problems.Add("Replicas must be at least 1.");
        if (Capacity.Count == 0 || Capacity.Values.Any(v => v < 1)) problems.Add("Capacity needs at least one instance type with a positive count.");
        return problems;
    }
}
