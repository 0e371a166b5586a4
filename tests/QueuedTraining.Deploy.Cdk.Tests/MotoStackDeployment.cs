using System.Text.Json.Nodes;

namespace QueuedTraining.Deploy.Cdk.Tests;

/// <summary>
/// Deploys the part of a synthesized template that moto's CloudFormation can create: the job table, the IAM roles and
/// the policies whose every reference stays inside that part. The load balancer, ECS, EventBridge and VPC resources
/// are left to the template tests (moto models them partly or not at all).
/// </summary>
internal static class MotoStackDeployment
{
    public static readonly IReadOnlySet<string> DeployableTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "AWS::DynamoDB::Table", "AWS::IAM::Role", "AWS::IAM::Policy",
    };

    /// <summary>The deployable resources of <paramref name="template"/>, and nothing that refers outside them.</summary>
    public static JsonObject Subset(JsonObject template)
    {
        var resources = template["Resources"]!.AsObject();
        var kept = resources.Where(r => DeployableTypes.Contains((string)r.Value!["Type"]!)).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        bool changed;
        do
        {
            // A policy that names, say, the log group or the API destination cannot be created without it: drop it too.
            var dropped = kept.Where(id => References(resources[id]!).Any(r => resources.ContainsKey(r) && !kept.Contains(r))).ToList();
            kept.ExceptWith(dropped);
            changed = dropped.Count > 0;
        }
        while (changed);

        var subset = new JsonObject();
        foreach (var id in kept.Order(StringComparer.Ordinal))
        {
            subset[id] = resources[id]!.DeepClone();
        }

        return new JsonObject { ["AWSTemplateFormatVersion"] = "2010-09-09", ["Resources"] = subset };
    }

    /// <summary>Creates the stack on moto and returns each resource's physical id by logical id.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> DeployAsync(Uri moto, string stackName, JsonObject template)
    {
        var file = Path.Combine(Path.GetTempPath(), $"{stackName}.template.json");
        await File.WriteAllTextAsync(file, template.ToJsonString());
        try
        {
            await AwsCli.RunAsync(moto, "cloudformation", "create-stack", "--stack-name", stackName, "--template-body", "file://" + file, "--capabilities", "CAPABILITY_IAM");
            for (var look = 0; ; look++)
            {
                var stack = (await AwsCli.RunAsync(moto, "cloudformation", "describe-stacks", "--stack-name", stackName))!["Stacks"]![0]!;
                var status = (string)stack["StackStatus"]!;
                if (status == "CREATE_COMPLETE")
                {
                    break;
                }

                if (!status.EndsWith("IN_PROGRESS", StringComparison.Ordinal) || look > 60)
                {
                    throw new InvalidOperationException($"Stack {stackName} is {status}: {stack["StackStatusReason"]}");
                }

                await Task.Delay(500);
            }

            var described = await AwsCli.RunAsync(moto, "cloudformation", "describe-stack-resources", "--stack-name", stackName);
            return ((JsonArray)described!["StackResources"]!).ToDictionary(r => (string)r!["LogicalResourceId"]!, r => (string)r!["PhysicalResourceId"]!, StringComparer.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static IEnumerable<string> References(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "Ref" && value is JsonValue reference)
                    {
                        yield return (string)reference!;
                    }
                    else if (key == "Fn::GetAtt" && value is JsonArray getAtt)
                    {
                        yield return (string)getAtt[0]!;
                    }
                    else if (key == "DependsOn")
                    {
                        foreach (var dependency in Synthesized.Strings(value))
                        {
                            yield return dependency;
                        }
                    }
                    else if (value is not null)
                    {
                        foreach (var inner in References(value))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
            case JsonArray array:
                foreach (var inner in array.Where(i => i is not null).SelectMany(i => References(i!)))
                {
                    yield return inner;
                }

                break;
        }
    }
}
