// Submits, describes, lists and stops a training job through the queue with the AWS SDK for JavaScript v3.
// Usage: node roundtrip.mjs ENDPOINT_URL JOB_NAME. Credentials and region come from the environment; only the
// endpoint differs from talking to SageMaker. Exits non-zero with a message on any mismatch.
import {
  SageMakerClient,
  CreateTrainingJobCommand,
  DescribeTrainingJobCommand,
  StopTrainingJobCommand,
  ResourceNotFound,
  paginateListTrainingJobs,
} from "@aws-sdk/client-sagemaker";

const [endpoint, name] = process.argv.slice(2);
const sm = new SageMakerClient({ endpoint });

function check(condition, message) {
  if (!condition) {
    console.error(`JS SDK round trip: ${message}`);
    process.exit(1);
  }
}

const created = await sm.send(new CreateTrainingJobCommand({
  TrainingJobName: name,
  RoleArn: "arn:aws:iam::123456789012:role/SageMakerRole",
  AlgorithmSpecification: { TrainingImage: "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1", TrainingInputMode: "File" },
  OutputDataConfig: { S3OutputPath: "s3://bucket/output" },
  ResourceConfig: { InstanceType: "ml.m5.large", InstanceCount: 1, VolumeSizeInGB: 10 },
  StoppingCondition: { MaxRuntimeInSeconds: 3600 },
  HyperParameters: { sim_duration_seconds: "600" },
  Tags: [{ Key: "priority", Value: "5" }],
}));
check(created.TrainingJobArn.endsWith(`:training-job/${name}`), `unexpected ARN ${created.TrainingJobArn}`);

const described = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: name }));
check(described.TrainingJobName === name, `describe named ${described.TrainingJobName}`);
check(described.TrainingJobStatus === "InProgress", `status ${described.TrainingJobStatus}`);
check(described.CreationTime instanceof Date, "CreationTime is not a timestamp");

const names = [];
for await (const page of paginateListTrainingJobs({ client: sm, pageSize: 1 }, { NameContains: name })) {
  names.push(...page.TrainingJobSummaries.map((s) => s.TrainingJobName));
}
check(names.length === 1 && names[0] === name, `list gave ${JSON.stringify(names)}`);

await sm.send(new StopTrainingJobCommand({ TrainingJobName: name }));
const deadline = Date.now() + 60_000;
let status;
do {
  status = (await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: name }))).TrainingJobStatus;
  if (status !== "Stopped") await new Promise((resolve) => setTimeout(resolve, 200));
} while (status !== "Stopped" && Date.now() < deadline);
check(status === "Stopped", `after stop the status is ${status}`);

try {
  await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: `${name}-missing` }));
  check(false, "describing an unknown job succeeded");
} catch (error) {
  check(error instanceof ResourceNotFound && error.name === "ResourceNotFound", `unknown job raised ${error.name}: ${error.message}`);
}

console.log("JS SDK round trip ok");
