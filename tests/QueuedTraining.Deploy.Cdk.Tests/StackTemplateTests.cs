using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using QueuedTraining.Deploy.Cdk;

namespace QueuedTraining.Deploy.Cdk.Tests;

/// <summary>What the stack defines, read from the synthesized template with CDK's own assertions.</summary>
public sealed class StackTemplateTests
{
    private static Synthesized Stack => SynthesizedStacks.Default;

    [Fact]
    public void Synthesize_DefaultSettings_DefinesEachResourceOnce()
    {
        var template = Stack.Template;
        foreach (var type in new[]
                 {
                     "AWS::DynamoDB::Table", "AWS::ECS::Cluster", "AWS::ECS::Service", "AWS::ECS::TaskDefinition",
                     "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancingV2::TargetGroup",
                     "AWS::Events::Rule", "AWS::Events::Connection", "AWS::Events::ApiDestination", "AWS::SQS::Queue", "AWS::EC2::VPC",
                 })
        {
            template.ResourceCountIs(type, 1);
        }

        // The service's role, the task execution role (image pull, logs, the key digest), EventBridge's role.
        template.ResourceCountIs("AWS::IAM::Role", 3);
        // HTTPS, and HTTP that only redirects to it.
        template.ResourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 2);
    }

    [Fact]
    public void Table_AsTheStoreDocumentsIt_KeysIndexesRecoveryAndProtection()
    {
        Stack.Template.HasResource("AWS::DynamoDB::Table", new Dictionary<string, object>
        {
            ["DeletionPolicy"] = "Retain",
            ["UpdateReplacePolicy"] = "Retain",
            ["Properties"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["TableName"] = "queuedtraining-jobs",
                ["BillingMode"] = "PAY_PER_REQUEST",
                ["KeySchema"] = new object[] { new Dictionary<string, object> { ["AttributeName"] = "pk", ["KeyType"] = "HASH" } },
                ["PointInTimeRecoverySpecification"] = new Dictionary<string, object> { ["PointInTimeRecoveryEnabled"] = true },
                ["DeletionProtectionEnabled"] = true,
            }),
        });

        var properties = Stack.Single("AWS::DynamoDB::Table").Resource["Properties"]!;
        var indexes = ((JsonArray)properties["GlobalSecondaryIndexes"]!).ToDictionary(i => (string)i!["IndexName"]!, i => i!);
        Assert.Equal(["all-jobs", "by-attempt", "by-change", "by-idempotency-key", "by-state", "waiting-by-pool"], indexes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("waitPool HASH,qk RANGE|KEYS_ONLY", Describe(indexes["waiting-by-pool"]));
        Assert.Equal("state HASH,qk RANGE|ALL", Describe(indexes["by-state"]));
        Assert.Equal("kind HASH,qk RANGE|ALL", Describe(indexes["all-jobs"]));
        Assert.Equal("attempt HASH|KEYS_ONLY", Describe(indexes["by-attempt"]));
        Assert.Equal("idem HASH|KEYS_ONLY", Describe(indexes["by-idempotency-key"]));
        Assert.Equal("chgHour HASH,chg RANGE|ALL", Describe(indexes["by-change"]));
        Assert.All((JsonArray)properties["AttributeDefinitions"]!, a => Assert.Equal("S", (string?)a!["AttributeType"]));

        static string Describe(JsonNode index) =>
            string.Join(',', ((JsonArray)index["KeySchema"]!).Select(k => $"{k!["AttributeName"]} {k["KeyType"]}")) + "|" + index["Projection"]!["ProjectionType"];
    }

    [Fact]
    public void Settings_MissingRequiredOnes_AreAllNamedAtOnce()
    {
        var error = Assert.Throws<ArgumentException>(() => new QueuedTrainingStack(new Amazon.CDK.App(), "Bad", new QueuedTrainingStackProps { TrainingRoleArns = ["arn:aws:iam::123456789012:role/*"] }));

        foreach (var name in new[] { "ContainerImage", "CertificateArn", "DomainName", "EventsApiKeySecretArn", "without '*'" })
        {
            Assert.Contains(name, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EventRule_TrainingJobStateChanges_GoToTheEventsEndpointWithRetriesAndDeadLetters()
    {
        var template = Stack.Template;
        template.HasResourceProperties("AWS::Events::Rule", new Dictionary<string, object>
        {
            ["EventPattern"] = new Dictionary<string, object>
            {
                ["source"] = new[] { "aws.sagemaker" },
                ["detail-type"] = new[] { "SageMaker Training Job State Change" },
            },
            ["State"] = "ENABLED",
            ["Targets"] = new object[]
            {
                Match.ObjectLike(new Dictionary<string, object>
                {
                    ["Arn"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new[] { Stack.Single("AWS::Events::ApiDestination").LogicalId, "Arn" } },
                    ["RetryPolicy"] = new Dictionary<string, object> { ["MaximumRetryAttempts"] = 20, ["MaximumEventAgeInSeconds"] = 3600 },
                    ["DeadLetterConfig"] = new Dictionary<string, object> { ["Arn"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new[] { Stack.Single("AWS::SQS::Queue").LogicalId, "Arn" } } },
                }),
            },
        });
        template.HasResourceProperties("AWS::Events::ApiDestination", new Dictionary<string, object>
        {
            ["HttpMethod"] = "POST",
            ["InvocationEndpoint"] = "https://queue.example.com/v1/events/sagemaker",
            ["InvocationRateLimitPerSecond"] = 20,
        });
    }

    [Fact]
    public void Connection_ApiKey_IsReadFromSecretsManagerNotWrittenInTheTemplate()
    {
        var properties = Stack.Single("AWS::Events::Connection").Resource["Properties"]!;
        Assert.Equal("API_KEY", (string?)properties["AuthorizationType"]);
        var apiKey = properties["AuthParameters"]!["ApiKeyAuthParameters"]!;
        Assert.Equal(QueuedTrainingStack.ApiKeyHeader, (string?)apiKey["ApiKeyName"]);
        Assert.Equal($"{{{{resolve:secretsmanager:{SynthesizedStacks.SecretArn}:SecretString:apiKey::}}}}", (string?)apiKey["ApiKeyValue"]);
    }

    [Fact]
    public void Service_ReplicasOnFargate_BehindHttpsWithHealthChecks()
    {
        var template = Stack.Template;
        template.HasResourceProperties("AWS::ECS::Service", Match.ObjectLike(new Dictionary<string, object>
        {
            ["DesiredCount"] = 3,
            ["LaunchType"] = "FARGATE",
            ["DeploymentConfiguration"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["MinimumHealthyPercent"] = 100,
                ["DeploymentCircuitBreaker"] = new Dictionary<string, object> { ["Enable"] = true, ["Rollback"] = true },
            }),
        }));
        template.HasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Port"] = 443,
            ["Protocol"] = "HTTPS",
            ["Certificates"] = new object[] { new Dictionary<string, object> { ["CertificateArn"] = SynthesizedStacks.CertificateArn } },
        }));
        template.HasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Port"] = 80,
            ["DefaultActions"] = new object[] { Match.ObjectLike(new Dictionary<string, object> { ["Type"] = "redirect" }) },
        }));
        template.HasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", Match.ObjectLike(new Dictionary<string, object>
        {
            ["HealthCheckPath"] = QueuedTrainingStack.HealthPath,
            ["Matcher"] = new Dictionary<string, object> { ["HttpCode"] = "200" },
            ["Port"] = 80,
            ["TargetType"] = "ip",
        }));
    }

    [Fact]
    public void TaskDefinition_ConfiguresTheDynamoDBStoreSageMakerAndApiKeys()
    {
        var container = Assert.Single((JsonArray)Stack.Single("AWS::ECS::TaskDefinition").Resource["Properties"]!["ContainerDefinitions"]!)!;
        var environment = ((JsonArray)container["Environment"]!).ToDictionary(e => (string)e!["Name"]!, e => Synthesized.Text(e!["Value"]));
        var table = Stack.Single("AWS::DynamoDB::Table").LogicalId;

        Assert.Equal("http://+:8080", environment["Urls"]);
        Assert.Equal("DynamoDB", environment["QueuedTraining__Store"]);
        Assert.Equal($$"""{"Ref":"{{table}}"}""", environment["QueuedTraining__DynamoDB__TableName"]);
        Assert.Equal("SageMaker", environment["QueuedTraining__Backend"]);
        Assert.Equal("ApiKey", environment["QueuedTraining__Auth__Mode"]);
        Assert.Equal("true", environment["QueuedTraining__Auth__Principals__eventbridge__Operator"]);
        Assert.Equal("2", environment["QueuedTraining__Capacity__ml.p5.48xlarge"]);
        Assert.Equal("4", environment["QueuedTraining__Capacity__ml.g5.xlarge"]);
        Assert.DoesNotContain(environment.Keys, k => k.Contains("AccessKey", StringComparison.Ordinal) || k.Contains("Secret", StringComparison.Ordinal));

        var secret = Assert.Single((JsonArray)container["Secrets"]!)!;
        Assert.Equal("QueuedTraining__Auth__Principals__eventbridge__ApiKeySha256__0", (string?)secret["Name"]);
        Assert.Equal(SynthesizedStacks.SecretArn + ":apiKeySha256::", (string?)secret["ValueFrom"]);
        Assert.Equal(8080, (int)container["PortMappings"]![0]!["ContainerPort"]!);
    }
}
