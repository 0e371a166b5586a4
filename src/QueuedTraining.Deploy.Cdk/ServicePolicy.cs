using Amazon.CDK;
using Amazon.CDK.AWS.IAM;

namespace QueuedTraining.Deploy.Cdk;

/// <summary>
/// The service role's statements, one per reason (docs/deploy.md explains each by its Sid). Only what the service
/// calls: SageMaker CreateTrainingJob/DescribeTrainingJob/StopTrainingJob (src/QueuedTraining.Core), the store's data-plane
/// calls on its own table and indexes (docs/dynamodb-store.md), PassRole for the given training roles.
/// </summary>
internal static class ServicePolicy
{
    public static IEnumerable<PolicyStatement> Statements(Stack stack, string tableArn, QueuedTrainingStackProps props)
    {
        var trainingJobs = stack.FormatArn(new ArnComponents { Service = "sagemaker", Resource = "training-job", ResourceName = "*" });

        // Attempt names derive from users' job names, so no narrower name pattern exists; the instance types are held to
        // the configured pools instead.
        yield return new PolicyStatement(new PolicyStatementProps
        {
            Sid = "StartTrainingJobs",
            Actions = ["sagemaker:CreateTrainingJob", "sagemaker:AddTags"],
            Resources = [trainingJobs],
            Conditions = new Dictionary<string, object>
            {
                ["ForAllValues:StringEquals"] = new Dictionary<string, object> { ["sagemaker:InstanceTypes"] = props.Capacity.Keys.Order(StringComparer.Ordinal).ToArray() },
            },
        });
        yield return new PolicyStatement(new PolicyStatementProps
        {
            Sid = "FollowAndStopTrainingJobs",
            Actions = ["sagemaker:DescribeTrainingJob", "sagemaker:StopTrainingJob"],
            Resources = [trainingJobs],
        });
        yield return new PolicyStatement(new PolicyStatementProps
        {
            Sid = "PassTrainingRolesToSageMaker",
            Actions = ["iam:PassRole"],
            Resources = props.TrainingRoleArns.ToArray(),
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["iam:PassedToService"] = "sagemaker.amazonaws.com" },
            },
        });
        yield return new PolicyStatement(new PolicyStatementProps
        {
            Sid = "JobTableItems",
            Actions = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"],
            Resources = [tableArn],
        });
        yield return new PolicyStatement(new PolicyStatementProps
        {
            Sid = "JobTableIndexes",
            Actions = ["dynamodb:Query"],
            Resources = JobTableDefinition.Indexes.Select(i => $"{tableArn}/index/{i.Name}").ToArray(),
        });

        var buckets = props.CheckpointPrefixes
            .Select(p => p["s3://".Length..].Split('/', 2))
            .GroupBy(parts => parts[0], parts => parts.Length > 1 ? parts[1].TrimEnd('/') : string.Empty, StringComparer.Ordinal);
        var n = 0;
        foreach (var bucket in buckets)
        {
            // ListBucket is authorised on the bucket; s3:prefix holds it to the checkpoint prefixes.
            var prefixes = bucket.SelectMany(PrefixPatterns).Distinct(StringComparer.Ordinal).ToArray();
            yield return new PolicyStatement(new PolicyStatementProps
            {
                Sid = $"ListCheckpoints{n++}",
                Actions = ["s3:ListBucket"],
                Resources = [$"arn:{Aws.PARTITION}:s3:::{bucket.Key}"],
                Conditions = new Dictionary<string, object>
                {
                    ["StringLike"] = new Dictionary<string, object> { ["s3:prefix"] = prefixes },
                },
            });
        }
    }

    // A prefix itself (listing "folder/") and everything under it; a whole bucket when no prefix is given.
    private static string[] PrefixPatterns(string prefix) => prefix.Length == 0 ? ["*"] : [prefix, prefix + "/*"];
}
