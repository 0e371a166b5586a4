using System.Text.Json.Nodes;

namespace QueuedTraining.Deploy.Cdk.Tests;

/// <summary>The least-privilege rules of issue 19, checked over every policy statement the stack synthesizes.</summary>
public sealed class LeastPrivilegeTests
{
    /// <summary>
    /// Actions AWS authorises only on "*" (no resource-level permission exists), each with the reason docs/deploy.md
    /// gives. Anything else on "*" fails.
    /// </summary>
    private static readonly HashSet<string> ActionsWithoutResourceLevelPermission = new(StringComparer.Ordinal)
    {
        "ecr:GetAuthorizationToken",
    };

    private static readonly char[] Digits = "0123456789".ToCharArray();

    private static readonly string[] SageMakerOperationsTheServiceCalls =
        ["sagemaker:AddTags", "sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob", "sagemaker:StopTrainingJob"];

    public static TheoryData<string> Stacks => new() { nameof(SynthesizedStacks.Default), nameof(SynthesizedStacks.PublicImage) };

    private static Synthesized Get(string name) => name == nameof(SynthesizedStacks.Default) ? SynthesizedStacks.Default : SynthesizedStacks.PublicImage;

    [Theory]
    [MemberData(nameof(Stacks))]
    public void EveryAllowStatement_NoWildcardAction(string stack)
    {
        var statements = Get(stack).AllStatements().ToList();
        Assert.NotEmpty(statements);
        foreach (var (where, statement) in statements.Where(s => (string?)s.Statement["Effect"] == "Allow"))
        {
            Assert.Null(statement["NotAction"]);
            Assert.Null(statement["NotResource"]);
            foreach (var action in Synthesized.Strings(statement["Action"]))
            {
                Assert.False(action.Contains('*', StringComparison.Ordinal), $"{where}: action {action} is a wildcard");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void EveryAllowStatement_StarResourceOnlyForActionsWithoutResourceLevelPermission(string stack)
    {
        foreach (var (where, statement) in Get(stack).AllStatements().Where(s => (string?)s.Statement["Effect"] == "Allow"))
        {
            if (Synthesized.Strings(statement["Resource"]).Contains("*"))
            {
                Assert.All(Synthesized.Strings(statement["Action"]), action =>
                    Assert.True(ActionsWithoutResourceLevelPermission.Contains(action), $"{where}: {action} is allowed on every resource"));
            }
        }
    }

    [Fact]
    public void PublicImage_NeedsNoStarResourceAtAll()
    {
        var star = SynthesizedStacks.PublicImage.AllStatements().Where(s => Synthesized.Strings(s.Statement["Resource"]).Contains("*") && (string?)s.Statement["Effect"] == "Allow");
        Assert.Empty(star);
    }

    [Fact]
    public void ServiceRole_CallsExactlyTheSageMakerOperationsTheServiceUses_OnTrainingJobsOnly()
    {
        var statements = SynthesizedStacks.Default.TaskRoleStatements();
        var sageMaker = statements.Where(s => Synthesized.Strings(s["Action"]).Any(a => a.StartsWith("sagemaker:", StringComparison.Ordinal))).ToList();

        Assert.Equal(SageMakerOperationsTheServiceCalls, sageMaker.SelectMany(s => Synthesized.Strings(s["Action"])).Order(StringComparer.Ordinal));
        Assert.All(sageMaker, s => Assert.EndsWith(":training-job/*\"]]}", Assert.Single(Synthesized.Strings(s["Resource"])), StringComparison.Ordinal));

        var create = Assert.Single(sageMaker, s => Synthesized.Strings(s["Action"]).Contains("sagemaker:CreateTrainingJob"));
        var instanceTypes = create["Condition"]!["ForAllValues:StringEquals"]!["sagemaker:InstanceTypes"]!;
        Assert.Equal(["ml.g5.xlarge", "ml.p5.48xlarge"], Synthesized.Strings(instanceTypes));
    }

    [Fact]
    public void ServiceRole_PassesOnlyTheGivenTrainingRoles_OnlyToSageMaker()
    {
        var passRole = SynthesizedStacks.Default.AllStatements()
            .Where(s => Synthesized.Strings(s.Statement["Action"]).Contains("iam:PassRole"))
            .Select(s => s.Statement)
            .ToList();

        var statement = Assert.Single(passRole);
        Assert.Equal([SynthesizedStacks.TrainingRoleA, SynthesizedStacks.TrainingRoleB], Synthesized.Strings(statement["Resource"]));
        Assert.Equal("sagemaker.amazonaws.com", (string?)statement["Condition"]!["StringEquals"]!["iam:PassedToService"]);
        Assert.Equal(["iam:PassRole"], Synthesized.Strings(statement["Action"]));
    }

    [Fact]
    public void ServiceRole_TouchesOnlyItsTableAndThatTablesIndexes_WithTheStoresDataPlaneCalls()
    {
        var table = SynthesizedStacks.Default.Single("AWS::DynamoDB::Table").LogicalId;
        var tableArn = $$"""{"Fn::GetAtt":["{{table}}","Arn"]}""";
        var dynamo = SynthesizedStacks.Default.AllStatements()
            .Where(s => Synthesized.Strings(s.Statement["Action"]).Any(a => a.StartsWith("dynamodb:", StringComparison.Ordinal)))
            .Select(s => s.Statement)
            .ToList();

        Assert.Equal(
            ["dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"],
            dynamo.SelectMany(s => Synthesized.Strings(s["Action"])).Order(StringComparer.Ordinal));
        var items = Assert.Single(dynamo, s => !Synthesized.Strings(s["Action"]).Contains("dynamodb:Query"));
        Assert.Equal([tableArn], Synthesized.Strings(items["Resource"]));

        var query = Assert.Single(dynamo, s => Synthesized.Strings(s["Action"]).Contains("dynamodb:Query"));
        var indexArns = Synthesized.Strings(query["Resource"]);
        Assert.Equal(6, indexArns.Count);
        Assert.All(indexArns, arn => Assert.StartsWith($$"""{"Fn::Join":["",[{{tableArn}},"/index/""", arn, StringComparison.Ordinal));
        Assert.DoesNotContain(indexArns, arn => arn.Contains("/index/*", StringComparison.Ordinal));

        // The store never creates or scans, and deletes items only (finished jobs past retention): no control-plane or Scan permission.
        Assert.DoesNotContain(dynamo.SelectMany(s => Synthesized.Strings(s["Action"])), a => a is "dynamodb:Scan" or "dynamodb:CreateTable" or "dynamodb:DeleteTable");
    }

    [Fact]
    public void ServiceRole_ListsOnlyTheCheckpointPrefixes_PerBucket()
    {
        var s3 = SynthesizedStacks.Default.TaskRoleStatements()
            .Where(s => Synthesized.Strings(s["Action"]).Any(a => a.StartsWith("s3:", StringComparison.Ordinal)))
            .ToDictionary(s => Assert.Single(Synthesized.Strings(s["Resource"])), s => s);

        Assert.Equal(2, s3.Count);
        Assert.All(s3.Values, s => Assert.Equal(["s3:ListBucket"], Synthesized.Strings(s["Action"])));
        var checkpoints = s3[Arn("ml-checkpoints")];
        Assert.Equal(["team-a", "team-a/*", "team-b", "team-b/*"], Synthesized.Strings(checkpoints["Condition"]!["StringLike"]!["s3:prefix"]));
        Assert.Equal(["ckpt", "ckpt/*"], Synthesized.Strings(s3[Arn("other-bucket")]["Condition"]!["StringLike"]!["s3:prefix"]));

        // Without prefixes the role has no S3 permission at all.
        Assert.DoesNotContain(SynthesizedStacks.PublicImage.AllStatements(), s => Synthesized.Strings(s.Statement["Action"]).Any(a => a.StartsWith("s3:", StringComparison.Ordinal)));

        static string Arn(string bucket) => $$"""{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":s3:::{{bucket}}"]]}""";
    }

    [Fact]
    public void EveryRole_TrustsOnlyItsOwnService()
    {
        var trusted = SynthesizedStacks.Default.Resources("AWS::IAM::Role")
            .Select(r => Assert.Single((JsonArray)r.Resource["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]!)!)
            .Select(s => (string?)s["Principal"]!["Service"])
            .Order(StringComparer.Ordinal);

        Assert.Equal(["ecs-tasks.amazonaws.com", "ecs-tasks.amazonaws.com", "events.amazonaws.com"], trusted);
    }

    [Fact]
    public void EveryServiceRoleStatement_HasItsReasonInTheDocs()
    {
        var docs = File.ReadAllText(Path.Combine(QueuedTraining.Testing.RepositoryFiles.Root, "docs", "deploy.md"));
        var sids = SynthesizedStacks.Default.TaskRoleStatements().Select(s => (string?)s["Sid"]).ToList();

        Assert.All(sids, sid => Assert.Contains($"`{sid!.TrimEnd(Digits)}`", docs, StringComparison.Ordinal));
        Assert.Contains("`ecr:GetAuthorizationToken`", docs, StringComparison.Ordinal);
    }
}
