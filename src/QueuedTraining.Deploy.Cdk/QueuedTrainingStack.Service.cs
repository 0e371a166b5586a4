using System.Globalization;
using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECR;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.ECS.Patterns;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using HealthCheck = Amazon.CDK.AWS.ElasticLoadBalancingV2.HealthCheck;

namespace QueuedTraining.Deploy.Cdk;

public sealed partial class QueuedTrainingStack
{
    /// <summary>The port the service listens on inside its container.</summary>
    public const int ContainerPort = 8080;

    /// <summary>The service's health endpoint, which the load balancer checks.</summary>
    public const string HealthPath = "/healthz";

    /// <summary>The principal EventBridge calls the service as; an operator, because an event can end any job.</summary>
    public const string EventsPrincipal = "eventbridge";

    /// <summary>The replicas and their load balancer.</summary>
    public ApplicationLoadBalancedFargateService Service { get; private set; } = null!;

    [GeneratedRegex(@"^(?<account>\d{12})\.dkr\.ecr\.(?<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/(?<repository>[^:@]+)(?::(?<tag>[^@]+))?$")]
    private static partial Regex EcrImage();

    private void CreateService(QueuedTrainingStackProps props)
    {
        var vpc = props.Vpc ?? new Vpc(this, "Network", new VpcProps { MaxAzs = 2, NatGateways = 1 });
        var cluster = new Cluster(this, "Cluster", new ClusterProps { Vpc = vpc, ContainerInsights = true });
        var secret = Amazon.CDK.AWS.SecretsManager.Secret.FromSecretCompleteArn(this, "EventsApiKey", props.EventsApiKeySecretArn);

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Urls"] = $"http://+:{ContainerPort}",
            ["QueuedTraining__Store"] = "DynamoDB",
            ["QueuedTraining__DynamoDB__TableName"] = Table.TableName,
            ["QueuedTraining__DynamoDB__Region"] = Aws.REGION,
            ["QueuedTraining__Backend"] = "SageMaker",
            ["QueuedTraining__SageMaker__Region"] = Aws.REGION,
            ["QueuedTraining__Auth__Mode"] = "ApiKey",
            [$"QueuedTraining__Auth__Principals__{EventsPrincipal}__Operator"] = "true",
        };
        foreach (var (instanceType, count) in props.Capacity)
        {
            environment[$"QueuedTraining__Capacity__{instanceType}"] = count.ToString(CultureInfo.InvariantCulture);
        }

        Service = new ApplicationLoadBalancedFargateService(this, "Service", new ApplicationLoadBalancedFargateServiceProps
        {
            Cluster = cluster,
            DesiredCount = props.Replicas,
            Cpu = props.Cpu,
            MemoryLimitMiB = props.MemoryMiB,
            PublicLoadBalancer = true,
            Protocol = ApplicationProtocol.HTTPS,
            Certificate = Certificate.FromCertificateArn(this, "Certificate", props.CertificateArn),
            SslPolicy = SslPolicy.RECOMMENDED_TLS,
            RedirectHTTP = true,
            CircuitBreaker = new DeploymentCircuitBreaker { Rollback = true },
            // Replicas keep serving while a deployment replaces them; the lease moves to a new replica on its own.
            MinHealthyPercent = 100,
            TaskImageOptions = new ApplicationLoadBalancedTaskImageOptions
            {
                Image = Image(props.ContainerImage),
                ContainerPort = ContainerPort,
                TaskRole = TaskRole,
                Environment = environment,
                Secrets = new Dictionary<string, Amazon.CDK.AWS.ECS.Secret>(StringComparer.Ordinal)
                {
                    [$"QueuedTraining__Auth__Principals__{EventsPrincipal}__ApiKeySha256__0"] = Amazon.CDK.AWS.ECS.Secret.FromSecretsManager(secret, "apiKeySha256"),
                },
            },
        });
        Service.TargetGroup.ConfigureHealthCheck(new HealthCheck
        {
            Path = HealthPath,
            HealthyHttpCodes = "200",
            Interval = Duration.Seconds(15),
            HealthyThresholdCount = 2,
            UnhealthyThresholdCount = 3,
        });

        _ = new CfnOutput(this, "ServiceUrl", new CfnOutputProps { Value = $"https://{props.DomainName}/" });
        _ = new CfnOutput(this, "LoadBalancerDnsName", new CfnOutputProps { Value = Service.LoadBalancer.LoadBalancerDnsName });
    }

    // An ECR image is pulled with a policy on its repository only; any other registry needs no AWS permission.
    private Amazon.CDK.AWS.ECS.ContainerImage Image(string uri)
    {
        var match = EcrImage().Match(uri);
        if (!match.Success)
        {
            return Amazon.CDK.AWS.ECS.ContainerImage.FromRegistry(uri);
        }

        var repository = Repository.FromRepositoryAttributes(this, "ImageRepository", new RepositoryAttributes
        {
            RepositoryName = match.Groups["repository"].Value,
            RepositoryArn = $"arn:{Aws.PARTITION}:ecr:{match.Groups["region"].Value}:{match.Groups["account"].Value}:repository/{match.Groups["repository"].Value}",
        });
        return Amazon.CDK.AWS.ECS.ContainerImage.FromEcrRepository(repository, match.Groups["tag"].Success ? match.Groups["tag"].Value : "latest");
    }
}
