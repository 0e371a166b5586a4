# The help text of every cmdlet. Build-Help.ps1 turns it, with each cmdlet's parameters as the built module
# declares them, into en-US/QueuedTraining.PowerShell.dll-Help.xml (MAML). Edit here, then run Build-Help.ps1.
@{
    'Connect-QTQueue' = @{
        Synopsis    = 'Connects this session to a training queue service.'
        Description = 'Sets the queue endpoint and the API key that the other QT cmdlets of this PowerShell session use. Unless -SkipCheck is given, it first asks the service for its capacity, so a wrong address or key fails here rather than on the first real call. A service in None mode serves loopback callers only; one in ApiKey mode needs -ApiKey, sent as a bearer token. Connecting again replaces the connection. It writes nothing unless -PassThru is given.'
        Outputs     = 'With -PassThru, the connection: its BaseAddress, whether it UsesApiKey, and how many Pools the service reported. Otherwise nothing, so that in a script the jobs the next cmdlets write show as one table.'
        Parameters  = @{
            BaseAddress      = 'The queue service''s address with its scheme, for example http://127.0.0.1:5080. An address without http:// or https:// is refused with a QueuedTraining.InvalidAddress error that says what to type.'
            PassThru         = 'Writes the connection. Without it the cmdlet writes nothing.'
            ApiKey           = 'The API key for a service in ApiKey mode, as a SecureString.'
            MaxRetryAttempts = 'How often a call that fails for a connection error, 408, 429 or 5xx is retried (0-20). Default 5.'
            TimeoutSec       = 'The longest one call may take, its retries included, in seconds. Default 180.'
            SkipCheck        = 'Connects without asking the service for its capacity first.'
        }
        Examples    = @(
            @{ Code = 'Connect-QTQueue -BaseAddress http://127.0.0.1:5080'; Remarks = 'Connects to a queue service on this machine that needs no API key.' }
            @{ Code = 'Connect-QTQueue https://queue.example.com -ApiKey (Read-Host -AsSecureString "API key")'; Remarks = 'Connects to a service in ApiKey mode, asking for the key without echoing it.' }
        )
    }
    'Disconnect-QTQueue' = @{
        Synopsis    = 'Disconnects this session from its training queue service.'
        Description = 'Forgets the endpoint and API key that Connect-QTQueue set for this session. Nothing changes in the queue. Other QT cmdlets fail with QueuedTraining.NotConnected until the next Connect-QTQueue.'
        Outputs     = 'None.'
        Parameters  = @{}
        Examples    = @(
            @{ Code = 'Disconnect-QTQueue'; Remarks = 'Ends the session''s connection.' }
        )
    }
    'Submit-QTTrainingJob' = @{
        Synopsis    = 'Submits a SageMaker CreateTrainingJob request to the training queue.'
        Description = 'Queues a training job. The request is shaped exactly like a SageMaker CreateTrainingJob request (TrainingJobName, RoleArn, AlgorithmSpecification, ResourceConfig, ...) and can be given as a hashtable, a JSON string or a JSON file; member names may be in any case. -Priority sets the priority tag (higher runs first). The service validates the request: an invalid one is refused with a QueuedTraining.JobValidationFailed error that names each field, and nothing is queued. Submitting an identical request again returns the job already queued, with a warning. -WhatIf shows what would be submitted and submits nothing.'
        Outputs     = 'The queued job (TrainingJobResource): name, state, priority, queue position, instance type and count, owner, reason and history.'
        Parameters  = @{
            Request        = 'The request as a hashtable. Numbers in HyperParameters, Environment and tag values are sent as strings, as SageMaker wants.'
            Json           = 'The request as JSON text.'
            Path           = 'A file holding the request as JSON.'
            Name           = 'The job''s name, replacing the request''s TrainingJobName (handy with a template file).'
            Priority       = 'The job''s priority, replacing the request''s priority tag. Higher runs first.'
            IdempotencyKey = 'Identifies this submission: submitting the same request with the same key returns the job queued the first time. A new key is made when omitted.'
        }
        Examples    = @(
            @{ Code = 'Submit-QTTrainingJob -Path ./train.json -Name resnet-run-7 -Priority 10'; Remarks = 'Queues the request in train.json under the name resnet-run-7 with priority 10.' }
            @{ Code = "Submit-QTTrainingJob @{ TrainingJobName = 'resnet-run-8'; RoleArn = 'arn:aws:iam::123456789012:role/SageMaker'; AlgorithmSpecification = @{ TrainingImage = 'pytorch-training:2.3-gpu-py311'; TrainingInputMode = 'File' }; OutputDataConfig = @{ S3OutputPath = 's3://bucket/out/' }; ResourceConfig = @{ InstanceType = 'ml.p5.48xlarge'; InstanceCount = 1; VolumeSizeInGB = 100 }; StoppingCondition = @{ MaxRuntimeInSeconds = 86400 } } -WhatIf"; Remarks = 'Shows what would be queued from a hashtable, and queues nothing.' }
        )
    }
    'Get-QTTrainingJob' = @{
        Synopsis    = 'Gets queued training jobs by name, or lists the queue in order.'
        Description = 'With names, from the command line or the pipeline (strings, or objects with a Name or TrainingJobName property), gets those jobs; names with wildcards select from the whole queue. Without names, lists every job the queue knows in queue order: running jobs, then waiting jobs by priority, then ended ones. -State keeps only jobs in the given states. The jobs show as a table of name, state, priority, queue position, instance type and count, and since when a waiting job waits. An unknown name writes a QueuedTraining.JobNotFound error and goes on with the other names.'
        Outputs     = 'One TrainingJobResource per job, in queue order.'
        Parameters  = @{
            Name  = 'The jobs'' names. Wildcards are allowed.'
            State = 'Only jobs in these states: Pending, Starting, Running, Preempting, Preempted, Completed, Failed, Stopping, Stopped, Cancelled.'
        }
        Examples    = @(
            @{ Code = 'Get-QTTrainingJob'; Remarks = 'Lists the queue in order.' }
            @{ Code = 'Get-QTTrainingJob -State Pending, Preempted'; Remarks = 'Lists only the jobs that wait, in queue order.' }
            @{ Code = "'resnet-run-7', 'resnet-run-8' | Get-QTTrainingJob"; Remarks = 'Gets two jobs by name from the pipeline.' }
        )
    }
    'Stop-QTTrainingJob' = @{
        Synopsis    = 'Cancels a waiting training job, or stops a running one.'
        Description = 'A waiting job leaves the queue as Cancelled; a running job is stopped in SageMaker and ends as Stopped, freeing its instances. Asking again while a job stops changes nothing; a job that has ended gives a QueuedTraining.JobFinished error. The cmdlet asks for confirmation unless -Force or -Confirm:$false is given; -WhatIf shows what would be stopped and stops nothing.'
        Outputs     = 'With -PassThru, the job (TrainingJobResource) as it is after the request; otherwise nothing.'
        Parameters  = @{
            Name     = 'The job''s name; binds from the pipeline by value or from a Name property (for example Get-QTTrainingJob output).'
            Force    = 'Stops without asking for confirmation. -WhatIf still only shows.'
            PassThru = 'Writes the job as it is after the request.'
        }
        Examples    = @(
            @{ Code = 'Stop-QTTrainingJob resnet-run-7 -Force'; Remarks = 'Cancels or stops the job without asking.' }
            @{ Code = 'Get-QTTrainingJob -State Pending | Where-Object Priority -lt 0 | Stop-QTTrainingJob -WhatIf'; Remarks = 'Shows which low-priority waiting jobs would be cancelled.' }
        )
    }
    'Set-QTTrainingJobPriority' = @{
        Synopsis    = 'Changes a training job''s priority.'
        Description = 'A waiting job moves in the queue at once; a running job''s new priority counts the next time the scheduler considers preemption. A job that has ended gives a QueuedTraining.JobFinished error. -WhatIf shows the change without making it.'
        Outputs     = 'With -PassThru, the job (TrainingJobResource) as it is after the change; otherwise nothing.'
        Parameters  = @{
            Name     = 'The job''s name; binds from the pipeline by value or from a Name property.'
            Priority = 'The new priority. Higher runs first.'
            PassThru = 'Writes the job as it is after the change.'
        }
        Examples    = @(
            @{ Code = 'Set-QTTrainingJobPriority resnet-run-8 -Priority 50 -PassThru'; Remarks = 'Moves the job ahead of every job with a lower priority and shows its new place.' }
            @{ Code = 'Get-QTTrainingJob "nightly-*" | Set-QTTrainingJobPriority -Priority -10'; Remarks = 'Lowers the priority of every nightly job.' }
        )
    }
    'Get-QTCapacity' = @{
        Synopsis    = 'Shows each instance pool''s capacity and use.'
        Description = 'Lists the queue''s instance pools: how many instances of each type the queue may run at once, how many the running jobs hold, and how many are free. An instance type given without wildcards that the queue has no pool of writes a QueuedTraining.PoolNotFound error (and $? is false); a pattern that matches no pool writes nothing.'
        Outputs     = 'One PoolCapacityResource per pool: InstanceType, Capacity, Used, Free.'
        Parameters  = @{
            InstanceType = 'Only these instance types. Wildcards are allowed; a type without wildcards that has no pool is an error.'
        }
        Examples    = @(
            @{ Code = 'Get-QTCapacity'; Remarks = 'Shows every pool.' }
            @{ Code = 'Get-QTCapacity ml.p5*'; Remarks = 'Shows the p5 pools.' }
        )
    }
    'Get-QTTeam' = @{
        Synopsis    = 'Shows each team''s share of each instance pool and its use.'
        Description = 'Lists, per team and pool, the team''s quota, lending mode (LendAndBorrow, Lend or Reserve) and borrow limit, the instances its jobs hold (InUse), how many of those are above its quota (Borrowed), how many instances of its idle quota other teams hold (Lent), its waiting jobs among the pool''s look-ahead, and its fair-share usage in instance-seconds (decayed). Writes nothing when the queue has no teams configured. See docs/scheduling.md.'
        Outputs     = 'One TeamPoolResource per team and pool: Team, InstanceType, Quota, Lending, BorrowLimit, Weight, InUse, Borrowed, Lent, Waiting, FairShareUsage.'
        Parameters  = @{
            Team         = 'Only these teams. Wildcards are allowed.'
            InstanceType = 'Only these instance types. Wildcards are allowed.'
        }
        Examples    = @(
            @{ Code = 'Get-QTTeam'; Remarks = 'Shows every team in every pool.' }
            @{ Code = 'Get-QTTeam vision -InstanceType ml.p5*'; Remarks = 'Shows the vision team''s share of the p5 pools.' }
        )
    }
    'Wait-QTTrainingJob' = @{
        Synopsis    = 'Waits for a training job to end and writes the job as it ended.'
        Description = 'Follows the queue''s event stream (GET /v1/events), or polls where the service has none, until the job is Completed, Failed, Stopped or Cancelled, showing its state, queue position and the reason it waits with Write-Progress, then writes the job as it ended (the same object as Get-QTTrainingJob, with State and Reason). A job that ended Failed also writes a non-terminating QueuedTraining.JobFailed error with the reason: $? is false, -ErrorAction Stop stops the script, and the job is still written. Stopped and Cancelled jobs were ended on purpose and write no error. Polling starts every second and slows down to -MaxPollIntervalSec while nothing changes. Ctrl+C ends the wait, not the job. When -TimeoutSec passes first, it writes a QueuedTraining.WaitTimedOut error.'
        Outputs     = 'The job (TrainingJobResource) as it ended.'
        Parameters  = @{
            Name               = 'The job''s name; binds from the pipeline by value or from a Name property.'
            TimeoutSec         = 'The longest to wait, in seconds. Without it the wait has no limit.'
            MaxPollIntervalSec = 'The longest pause between two polls while nothing changes, in seconds. Default 30.'
        }
        Examples    = @(
            @{ Code = 'Submit-QTTrainingJob -Path ./train.json | Wait-QTTrainingJob'; Remarks = 'Queues a job and waits for it to end, showing its progress.' }
            @{ Code = 'Wait-QTTrainingJob resnet-run-7 -TimeoutSec 3600 -ErrorAction Stop'; Remarks = 'Waits at most an hour; the script stops if the job failed or the hour passed.' }
            @{ Code = '$job = Wait-QTTrainingJob resnet-run-7 -ErrorAction SilentlyContinue; if ("$($job.State)" -ne "Completed") { "resnet-run-7 ended $($job.State): $($job.Reason)" }'; Remarks = 'Waits, and reports any end other than Completed without stopping.' }
        )
    }
}
