using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.IAM;
using Constructs;

namespace QueuedTraining.Deploy.Cdk;

/// <summary>
/// Everything the queue needs in one AWS account and region: the job table, the service's role, EventBridge delivery of
/// SageMaker's state changes, and N replicas of the service on ECS Fargate behind an HTTPS load balancer.
/// </summary>
public sealed partial class QueuedTrainingStack : Stack
{
    /// <summary>Defines the stack; throws when <paramref name="props"/> has problems, listing every one.</summary>
    public QueuedTrainingStack(Construct scope, string id, QueuedTrainingStackProps props)
        : base(scope, id, props)
    {
        ArgumentNullException.ThrowIfNull(props);
        var problems = props.Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException("The deployment settings have problems: " + string.Join(" ", problems), nameof(props));
        }

        Table = CreateTable(props);
        TaskRole = new Role(this, "ServiceTaskRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("ecs-tasks.amazonaws.com"),
            Description = "The QueuedTraining service: its job table, the SageMaker training jobs it starts, the roles it passes.",
        });
        foreach (var statement in ServicePolicy.Statements(this, Table.TableArn, props))
        {
            TaskRole.AddToPolicy(statement);
        }

        CreateService(props);
        CreateEventDelivery(props);

        _ = new CfnOutput(this, "TableName", new CfnOutputProps { Value = Table.TableName });
        _ = new CfnOutput(this, "ServiceTaskRoleArn", new CfnOutputProps { Value = TaskRole.RoleArn });
    }

    /// <summary>The job table.</summary>
    public Table Table { get; }

    /// <summary>The role every replica runs as.</summary>
    public Role TaskRole { get; }

    private Table CreateTable(QueuedTrainingStackProps props)
    {
        var table = new Table(this, "JobTable", new TableProps
        {
            TableName = props.TableName,
            PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = JobTableDefinition.PartitionKey, Type = AttributeType.STRING },
            BillingMode = BillingMode.PAY_PER_REQUEST,
            PointInTimeRecovery = true,
            DeletionProtection = true,
            // The queue's jobs outlive any one deployment of the stack.
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
        foreach (var index in JobTableDefinition.Indexes)
        {
            table.AddGlobalSecondaryIndex(new GlobalSecondaryIndexProps
            {
                IndexName = index.Name,
                PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = index.PartitionKey, Type = AttributeType.STRING },
                SortKey = index.SortKey is null ? null : new Amazon.CDK.AWS.DynamoDB.Attribute { Name = index.SortKey, Type = AttributeType.STRING },
                ProjectionType = index.KeysOnly ? ProjectionType.KEYS_ONLY : ProjectionType.ALL,
            });
        }

        return table;
    }
}
