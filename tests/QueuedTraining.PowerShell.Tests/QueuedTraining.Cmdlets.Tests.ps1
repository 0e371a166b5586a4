BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $env:QT_TEST_MODULE -Force
    $script:service = Start-QueueService
    Connect-QTQueue $service.Url | Out-Null
    # One long, high-priority job holds the only instance, so every job below it stays Pending in a known order.
    $script:blocker = New-TestJobName 'blocker'
    Submit-QTTrainingJob (New-TestRequest -Name $blocker -DurationSeconds 3600) -Priority 1000 | Out-Null
    Wait-JobState $blocker 'Running' | Out-Null
}

AfterAll {
    Disconnect-QTQueue
    Stop-QueueService $service
}

Describe 'Connect-QTQueue and Disconnect-QTQueue' {
    It 'writes nothing, so a script''s output keeps the shape of the jobs that follow' {
        Connect-QTQueue $service.Url | Should -BeNullOrEmpty
    }

    It 'reports the connection it checked with -PassThru' {
        $info = Connect-QTQueue $service.Url -PassThru
        $info.BaseAddress | Should -Be "$($service.Url)/"
        $info.UsesApiKey | Should -BeFalse
        $info.Pools | Should -Be 1
    }

    It 'leaves the other cmdlets failing with QueuedTraining.NotConnected once disconnected' {
        Disconnect-QTQueue
        try {
            { Get-QTTrainingJob } | Should -Throw -ErrorId 'QueuedTraining.NotConnected,QueuedTraining.PowerShell.Commands.GetQTTrainingJobCommand'
        } finally {
            Connect-QTQueue $service.Url | Out-Null
        }
    }

    It 'refuses an address without http:// or https://, saying what to type and naming no internal parameter' {
        foreach ($address in '127.0.0.1:5180', 'localhost:5180', 'ftp://127.0.0.1:5180') {
            $failure = { Connect-QTQueue $address } |
                Should -Throw -ErrorId 'QueuedTraining.InvalidAddress,QueuedTraining.PowerShell.Commands.ConnectQTQueueCommand' -PassThru
            $failure.Exception.Message | Should -Match ([regex]::Escape("'$address'"))
            $failure.Exception.Message | Should -Not -Match 'Parameter|settings'
            "$($failure.CategoryInfo.Category)" | Should -Be 'InvalidArgument'
        }
        $failure = { Connect-QTQueue 127.0.0.1:5180 } | Should -Throw -PassThru
        $failure.Exception.Message | Should -Match 'http://127\.0\.0\.1:5180'
        # The refused address kept the working connection.
        Get-QTCapacity | Should -Not -BeNullOrEmpty
    }

    It 'fails with QueuedTraining.QueueUnavailable when nothing answers' {
        $port = Get-FreeTcpPort
        { Connect-QTQueue "http://127.0.0.1:$port" -MaxRetryAttempts 0 -TimeoutSec 5 } |
            Should -Throw -ErrorId 'QueuedTraining.QueueUnavailable,QueuedTraining.PowerShell.Commands.ConnectQTQueueCommand'
        # The failed attempt kept the working connection.
        Get-QTCapacity | Should -Not -BeNullOrEmpty
    }
}

Describe 'Get-QTCapacity' {
    It 'shows the pool, with the blocker holding its instance' {
        $pool = Get-QTCapacity ml.p5*
        $pool.InstanceType | Should -Be 'ml.p5.48xlarge'
        $pool.Capacity | Should -Be 1
        $pool.Used | Should -Be 1
        $pool.Free | Should -Be 0
        ($pool | Format-Table | Out-String) | Should -Match 'InstanceType\s+Capacity\s+Used\s+Free'
    }


    It 'writes QueuedTraining.PoolNotFound for an instance type the queue has no pool of, and goes on' {
        $pools = Get-QTCapacity ml.g5.xlarge, ml.p5.48xlarge -ErrorVariable failure -ErrorAction SilentlyContinue
        $pools.InstanceType | Should -Be 'ml.p5.48xlarge'
        $failure | Should -HaveCount 1
        $failure[0].FullyQualifiedErrorId | Should -Be 'QueuedTraining.PoolNotFound,QueuedTraining.PowerShell.Commands.GetQTCapacityCommand'
        "$($failure[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
        $failure[0].TargetObject | Should -Be 'ml.g5.xlarge'
        $failure[0].Exception.Message | Should -Match 'ml\.p5\.48xlarge' # names the pools there are
        Get-QTCapacity ml.g5.xlarge -ErrorAction SilentlyContinue
        $? | Should -BeFalse
    }

    It 'writes nothing and no error for a wildcard that matches no pool' {
        Get-QTCapacity 'ml.g5*' -ErrorVariable failure | Should -BeNullOrEmpty
        $failure | Should -HaveCount 0
    }
}

Describe 'Submit-QTTrainingJob' {
    It 'queues a job from a hashtable with -Priority' {
        $name = New-TestJobName
        $job = Submit-QTTrainingJob (New-TestRequest -Name $name) -Priority 5
        $job.Name | Should -Be $name
        "$($job.State)" | Should -Be 'Pending'
        $job.Priority | Should -Be 5
        $job.QueuePosition | Should -BeGreaterThan 0
    }

    It 'queues a job from a JSON string, whatever the member names'' case' {
        $name = New-TestJobName
        $request = New-TestRequest -Name $name
        $request.Remove('TrainingJobName')
        $request.trainingJobName = $name
        $job = Submit-QTTrainingJob -Json ($request | ConvertTo-Json -Depth 5) -Priority 3
        $job.Name | Should -Be $name
        $job.Priority | Should -Be 3
    }

    It 'queues a job from a JSON file, renamed with -Name' {
        $file = Join-Path $TestDrive 'train.json'
        New-TestRequest -Name 'template' | ConvertTo-Json -Depth 5 | Set-Content $file
        $name = New-TestJobName
        $job = Submit-QTTrainingJob -Path $file -Name $name
        $job.Name | Should -Be $name
        $job.InstanceType | Should -Be 'ml.p5.48xlarge'
        $job.InstanceCount | Should -Be 1
    }

    It 'submits nothing with -WhatIf' {
        $name = New-TestJobName
        Submit-QTTrainingJob (New-TestRequest -Name $name) -Priority 5 -WhatIf | Should -BeNullOrEmpty
        Get-QTTrainingJob $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'says with -WhatIf where the job would stand and when it would start, and submits nothing' {
        $name = New-TestJobName
        $json = New-TestRequest -Name $name | ConvertTo-Json -Depth 5 -Compress
        $script = "Import-Module '$($env:QT_TEST_MODULE)'; Connect-QTQueue '$($service.Url)'; Submit-QTTrainingJob -Json '$($json -replace "'", "''")' -Priority 5 -WhatIf"
        # What-if messages go to the host, not to a stream: a child pwsh prints them on its standard output.
        $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
        $output = & $pwsh -NoProfile -NonInteractive -Command $script 2>&1 | Out-String
        $output | Should -Match ('What if: .*with priority 5: \d+(st|nd|rd|th) in line; expected to start .*on target "training job ' + [regex]::Escape($name) + '"')
        Get-QTTrainingJob $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'returns the queued job, with a warning, when the same submission is repeated' {
        $name = New-TestJobName
        $request = New-TestRequest -Name $name
        Submit-QTTrainingJob $request -IdempotencyKey "key-$name" | Out-Null
        $again = Submit-QTTrainingJob $request -IdempotencyKey "key-$name" -WarningVariable warnings -WarningAction SilentlyContinue
        $again.Name | Should -Be $name
        $warnings | Should -Match 'already queued'
    }

    It 'writes a QueuedTraining.JobValidationFailed error naming the fields when the request is invalid' {
        $request = New-TestRequest
        $request.Remove('RoleArn')
        Submit-QTTrainingJob $request -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failure | Should -HaveCount 1
        $failure[0].FullyQualifiedErrorId | Should -Be 'QueuedTraining.JobValidationFailed,QueuedTraining.PowerShell.Commands.SubmitQTTrainingJobCommand'
        "$($failure[0].CategoryInfo.Category)" | Should -Be 'InvalidData'
        $failure[0].ErrorDetails.Message | Should -Match 'RoleArn'
        $failure[0].Exception.Errors.Field | Should -Contain 'RoleArn'
    }

    It 'names each invalid field once in the error''s message' {
        $request = New-TestRequest
        $request.Remove('RoleArn')
        $request.ResourceConfig.InstanceCount = 0
        Submit-QTTrainingJob $request -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $fields = @($failure[0].Exception.Errors.Field)
        $fields.Count | Should -BeGreaterOrEqual 2 -Because 'the request breaks two rules'
        $message = $failure[0].ErrorDetails.Message
        foreach ($field in $fields) {
            [regex]::Matches($message, [regex]::Escape($field)).Count | Should -Be 1 -Because "$field once in: $message"
        }
    }

    It 'writes a QueuedTraining.InvalidRequest error for text that is not a request' {
        Submit-QTTrainingJob -Json '{ not json' -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -Be 'QueuedTraining.InvalidRequest,QueuedTraining.PowerShell.Commands.SubmitQTTrainingJobCommand'
    }
}

Describe 'Get-QTTrainingJob' {
    BeforeAll {
        $script:low = (Submit-QTTrainingJob (New-TestRequest -Name (New-TestJobName 'low')) -Priority 1).Name
        $script:high = (Submit-QTTrainingJob (New-TestRequest -Name (New-TestJobName 'high')) -Priority 90).Name
    }

    It 'gets jobs by name from the pipeline' {
        $jobs = $low, $high | Get-QTTrainingJob
        $jobs.Name | Should -Be @($low, $high)
    }

    It 'gets jobs by property name from the pipeline' {
        $jobs = [pscustomobject]@{ TrainingJobName = $high } | Get-QTTrainingJob
        $jobs.Name | Should -Be $high
    }

    It 'writes QueuedTraining.JobNotFound for an unknown name and goes on with the others' {
        $jobs = 'no-such-job', $high | Get-QTTrainingJob -ErrorVariable failure -ErrorAction SilentlyContinue
        $jobs.Name | Should -Be $high
        $failure | Should -HaveCount 1
        $failure[0].FullyQualifiedErrorId | Should -Be 'QueuedTraining.JobNotFound,QueuedTraining.PowerShell.Commands.GetQTTrainingJobCommand'
        "$($failure[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
        $failure[0].TargetObject | Should -Be 'no-such-job'
    }

    It 'lists the queue in order: the running job, then waiting jobs by priority' {
        $jobs = @(Get-QTTrainingJob)
        $jobs[0].Name | Should -Be $blocker
        $names = $jobs.Name
        $names.IndexOf($high) | Should -BeLessThan $names.IndexOf($low)
        $waiting = @($jobs | Where-Object QueuePosition)
        $waiting.QueuePosition | Should -Be (1..$waiting.Count)
    }

    It 'lists only the jobs in the given states' {
        $jobs = @(Get-QTTrainingJob -State Pending)
        $jobs.Name | Should -Contain $low
        $jobs.Name | Should -Not -Contain $blocker
        "$(($jobs.State | Select-Object -Unique))" | Should -Be 'Pending'
    }

    It 'accepts every job state for -State, Stopping included' {
        { Get-QTTrainingJob -State Stopping, Stopped -ErrorAction Stop } | Should -Not -Throw
        { Get-QTTrainingJob -State StopToken -ErrorAction Stop } | Should -Throw
    }

    It 'selects with wildcards' {
        (Get-QTTrainingJob 'high-*').Name | Should -Contain $high
    }

    It 'shows as a table of name, state, priority, position, instance type and count, waiting time and expected start' {
        $table = Get-QTTrainingJob $low | Format-Table | Out-String -Width 250
        $table | Should -Match 'Name\s+State\s+Priority\s+Position\s+InstanceType\s+Count\s+WaitingSince\s+ExpectedStart\s+LatestStart'
        $table | Should -Match ([regex]::Escape($low) + '\s+Pending\s+1\s+\d+\s+ml\.p5\.48xlarge\s+1\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+\d{4}-\d\d-\d\d \d\d:\d\d')
    }
}

Describe 'Set-QTTrainingJobPriority' {
    BeforeAll {
        $script:job = Submit-QTTrainingJob (New-TestRequest) -Priority 2
    }

    It 'changes nothing with -WhatIf' {
        Set-QTTrainingJobPriority $job.Name -Priority 50 -WhatIf
        (Get-QTTrainingJob $job.Name).Priority | Should -Be 2
    }

    It 'changes the priority of jobs piped by property name' {
        $changed = Get-QTTrainingJob $job.Name | Set-QTTrainingJobPriority -Priority 60 -PassThru
        $changed.Priority | Should -Be 60
        (Get-QTTrainingJob $job.Name).Priority | Should -Be 60
    }
}

Describe 'Stop-QTTrainingJob' {
    It 'stops nothing with -WhatIf' {
        $job = Submit-QTTrainingJob (New-TestRequest)
        Stop-QTTrainingJob $job.Name -WhatIf
        Stop-QTTrainingJob $job.Name -Force -WhatIf
        "$((Get-QTTrainingJob $job.Name).State)" | Should -Be 'Pending'
    }

    It 'cancels waiting jobs piped by property name, with -Force' {
        $a = Submit-QTTrainingJob (New-TestRequest)
        $b = Submit-QTTrainingJob (New-TestRequest)
        $stopped = Get-QTTrainingJob $a.Name, $b.Name | Stop-QTTrainingJob -Force -PassThru
        "$($stopped.State | Select-Object -Unique)" | Should -Be 'Cancelled'
        $stopped.Name | Should -Be @($a.Name, $b.Name)
    }

    It 'writes QueuedTraining.JobFinished for a job that has ended' {
        $job = Submit-QTTrainingJob (New-TestRequest)
        Stop-QTTrainingJob $job.Name -Confirm:$false
        Stop-QTTrainingJob $job.Name -Force -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -Be 'QueuedTraining.JobFinished,QueuedTraining.PowerShell.Commands.StopQTTrainingJobCommand'
    }
}

Describe 'Wait-QTTrainingJob' {
    It 'waits for a job to run and complete, and writes the job as it ended' {
        # Priority above the blocker's: it preempts the blocker, runs for a second, and completes.
        $name = New-TestJobName 'wait'
        $job = Submit-QTTrainingJob (New-TestRequest -Name $name -DurationSeconds 1) -Priority 2000 |
            Wait-QTTrainingJob -MaxPollIntervalSec 1 -TimeoutSec 60
        # The job as it ended: the same shape as every other job cmdlet writes.
        $job.GetType().FullName | Should -Be 'QueuedTraining.Contracts.Queue.TrainingJobResource'
        "$($job.State)" | Should -Be 'Completed'
        $job.Name | Should -Be $name
        ($job | Format-Table | Out-String) | Should -Match "$name\s+Completed"
        Wait-JobState $blocker 'Running' | Out-Null
    }

    It 'ends with Cancelled for a job cancelled while it waits, and no error' {
        $job = Submit-QTTrainingJob (New-TestRequest)
        $job | Stop-QTTrainingJob -Force
        "$((Wait-QTTrainingJob $job.Name -ErrorVariable failure).State)" | Should -Be 'Cancelled'
        $failure | Should -HaveCount 0
    }

    It 'writes the failed job and a QueuedTraining.JobFailed error, so $? is false' {
        $name = New-TestJobName 'fail'
        $request = New-TestRequest -Name $name -DurationSeconds 1
        $request.HyperParameters.sim_outcome = 'Failed'
        Submit-QTTrainingJob $request -Priority 2000 | Out-Null
        $job = Wait-QTTrainingJob $name -MaxPollIntervalSec 1 -TimeoutSec 60 -ErrorVariable failure -ErrorAction SilentlyContinue
        $succeeded = $?
        $succeeded | Should -BeFalse
        "$($job.State)" | Should -Be 'Failed'
        $failure | Should -HaveCount 1
        $failure[0].FullyQualifiedErrorId | Should -Be 'QueuedTraining.JobFailed,QueuedTraining.PowerShell.Commands.WaitQTTrainingJobCommand'
        $failure[0].TargetObject | Should -Be $name
        $failure[0].Exception.Message | Should -Match 'simulated failure'
        { Wait-QTTrainingJob $name -ErrorAction Stop } |
            Should -Throw -ErrorId 'QueuedTraining.JobFailed,QueuedTraining.PowerShell.Commands.WaitQTTrainingJobCommand'
        Wait-JobState $blocker 'Running' | Out-Null
    }

    It 'writes QueuedTraining.WaitTimedOut when the job does not end in time' {
        Wait-QTTrainingJob $blocker -TimeoutSec 1 -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failure[0].FullyQualifiedErrorId | Should -Be 'QueuedTraining.WaitTimedOut,QueuedTraining.PowerShell.Commands.WaitQTTrainingJobCommand'
    }

    It 'shows its state and queue position with Write-Progress, and stops on Ctrl+C without stopping the job' {
        $job = Submit-QTTrainingJob (New-TestRequest) -Priority 7
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($module, $url, $name)
                    Import-Module $module
                    Connect-QTQueue $url | Out-Null
                    Wait-QTTrainingJob $name
                }).AddArgument($env:QT_TEST_MODULE).AddArgument($service.Url).AddArgument($job.Name)
            $handle = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ($ps.Streams.Progress.Count -eq 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            $ps.Streams.Progress[0].StatusDescription | Should -Match '^Pending, position \d+ in the queue'
            $ps.Streams.Progress[0].Activity | Should -Be "Waiting for training job $($job.Name)"

            # PowerShell.Stop() is what Ctrl+C does: StopProcessing cancels the wait.
            $stopwatch = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $stopwatch.Elapsed.TotalSeconds | Should -BeLessThan 10
            "$($ps.InvocationStateInfo.State)" | Should -Be 'Stopped'
            $handle.IsCompleted | Should -BeTrue
            "$((Get-QTTrainingJob $job.Name).State)" | Should -Be 'Pending'
        } finally {
            $ps.Dispose()
        }
    }
}
