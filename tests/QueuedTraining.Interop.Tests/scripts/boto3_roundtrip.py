"""Submits, describes, lists and stops a training job through the queue with plain boto3.

Usage: boto3_roundtrip.py ENDPOINT_URL JOB_NAME. Credentials and region come from the environment, as for any
boto3 program; only endpoint_url differs from talking to SageMaker. Exits non-zero with a message on any mismatch.
"""
import sys
import time

import boto3

endpoint, name = sys.argv[1], sys.argv[2]
sm = boto3.client("sagemaker", endpoint_url=endpoint)


def check(condition, message):
    if not condition:
        sys.exit(f"boto3 round trip: {message}")


created = sm.create_training_job(
    TrainingJobName=name,
    RoleArn="arn:aws:iam::123456789012:role/SageMakerRole",
    AlgorithmSpecification={"TrainingImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1", "TrainingInputMode": "File"},
    OutputDataConfig={"S3OutputPath": "s3://bucket/output"},
    ResourceConfig={"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10},
    StoppingCondition={"MaxRuntimeInSeconds": 3600},
    HyperParameters={"sim_duration_seconds": "600"},
    Tags=[{"Key": "priority", "Value": "5"}],
)
check(created["TrainingJobArn"].endswith(f":training-job/{name}"), f"unexpected ARN {created['TrainingJobArn']}")

described = sm.describe_training_job(TrainingJobName=name)
check(described["TrainingJobName"] == name, f"describe named {described['TrainingJobName']}")
check(described["TrainingJobStatus"] == "InProgress", f"status {described['TrainingJobStatus']}")
check(described["ResourceConfig"]["InstanceType"] == "ml.m5.large", "ResourceConfig lost")

names = [s["TrainingJobName"] for page in sm.get_paginator("list_training_jobs").paginate(NameContains=name, PaginationConfig={"PageSize": 1}) for s in page["TrainingJobSummaries"]]
check(names == [name], f"list gave {names}")

sm.stop_training_job(TrainingJobName=name)
deadline = time.time() + 60
status = sm.describe_training_job(TrainingJobName=name)["TrainingJobStatus"]
while status != "Stopped" and time.time() < deadline:
    time.sleep(0.2)
    status = sm.describe_training_job(TrainingJobName=name)["TrainingJobStatus"]
check(status == "Stopped", f"after stop the status is {status}")

try:
    sm.describe_training_job(TrainingJobName=name + "-missing")
    check(False, "describing an unknown job succeeded")
except sm.exceptions.ResourceNotFound:
    pass

print("boto3 round trip ok")
