BeforeDiscovery {
    $script:cmdlets = @(
        'Connect-QTQueue', 'Disconnect-QTQueue', 'Submit-QTTrainingJob', 'Get-QTTrainingJob',
        'Stop-QTTrainingJob', 'Set-QTTrainingJobPriority', 'Get-QTCapacity', 'Get-QTTeam', 'Wait-QTTrainingJob'
    ) | ForEach-Object { @{ Name = $_ } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $env:QT_TEST_MODULE -Force
}

Describe 'The module' {
    It 'exports exactly its cmdlets, listed in the manifest without wildcards' {
        $manifest = Import-PowerShellDataFile $env:QT_TEST_MODULE
        $manifest.CmdletsToExport | Should -Not -Contain '*'
        foreach ($key in 'FunctionsToExport', 'AliasesToExport', 'VariablesToExport') { @($manifest[$key]).Count | Should -Be 0 }
        (Get-Command -Module QueuedTraining).Name | Sort-Object | Should -Be ($manifest.CmdletsToExport | Sort-Object)
        (Get-Command -Module QueuedTraining).Count | Should -Be 9
    }

    It 'supports -WhatIf and -Confirm on every cmdlet that changes the queue' {
        foreach ($name in 'Submit-QTTrainingJob', 'Stop-QTTrainingJob', 'Set-QTTrainingJobPriority') {
            (Get-Command $name).Parameters.Keys | Should -Contain 'WhatIf'
            (Get-Command $name).Parameters.Keys | Should -Contain 'Confirm'
        }
    }
}

Describe 'Reach' {
    It 'ships only assemblies built for .NET 8 or .NET Standard, which pwsh 7.4 LTS runs on' {
        $dir = Split-Path $env:QT_TEST_MODULE
        $dlls = @(Get-ChildItem (Join-Path $dir '*.dll'), (Join-Path $dir 'dependencies/*.dll'))
        $own = 'QueuedTraining.PowerShell', 'QueuedTraining.PowerShell.Engine', 'QueuedTraining.Client', 'QueuedTraining.Contracts'
        ($dlls.BaseName | Where-Object { $_ -in $own }) | Should -HaveCount 4
        foreach ($dll in $dlls) {
            $references = @(Get-AssemblyReference $dll.FullName)
            $runtime = $references | Where-Object Name -In 'System.Runtime', 'netstandard'
            $runtime | Should -Not -BeNullOrEmpty -Because "$($dll.Name) references a runtime"
            foreach ($reference in $runtime | Where-Object Name -EQ 'System.Runtime') {
                $reference.Version | Should -BeLessOrEqual ([version]'8.0.0.0') -Because "$($dll.Name) must load on .NET 8"
            }
        }
    }

    It 'compiles the cmdlets against PowerShell Standard, not against one pwsh release' {
        $cmdlets = Join-Path (Split-Path $env:QT_TEST_MODULE) 'QueuedTraining.PowerShell.dll'
        $sma = Get-AssemblyReference $cmdlets | Where-Object Name -EQ 'System.Management.Automation'
        # PowerShell Standard's reference assembly is version 3.0.0.0; every pwsh (7.4's is 7.4.x) binds it.
        $sma.Version | Should -BeLessThan ([version]'7.4.0.0')
    }

    It 'states the range it supports in its manifest: PowerShell 7.4 and later, Core edition' {
        $manifest = Import-PowerShellDataFile $env:QT_TEST_MODULE
        $manifest.PowerShellVersion | Should -Be '7.4'
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        (Test-ModuleManifest $env:QT_TEST_MODULE).PowerShellVersion | Should -Be ([version]'7.4')
    }
}

Describe 'Help' {
    It 'Get-Help <Name> -Full shows a description, parameter help and an example' -TestCases $cmdlets {
        param($Name)
        $help = Get-Help $Name -Full
        ($help.Description.Text -join ' ') | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$Name \[" # not the syntax PowerShell shows when there is no help
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 1
        $help.Examples.Example[0].Code | Should -Match 'QT'
        foreach ($parameter in @($help.Parameters.Parameter)) {
            if ($parameter) { ($parameter.Description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) needs help" }
        }
        (Get-Help $Name -Full | Out-String) | Should -Match 'DESCRIPTION'
    }

    It 'Get-Help <Name> -Full lists its pipeline input and the output types the cmdlet declares' -TestCases $cmdlets {
        param($Name)
        $command = Get-Command $Name
        $help = Get-Help $Name -Full
        $outputs = @($help.returnValues.returnValue.type.name)
        $declared = @($command.OutputType.Name | Where-Object { $_ -ne 'System.Void' })
        if ($declared) {
            foreach ($type in $declared) { $outputs | Should -Contain $type }
        } else {
            $outputs | Should -Be @('None')
        }
        $inputs = @($help.inputTypes.inputType.type.name)
        $piped = @($command.Parameters.Values | Where-Object {
                $_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and ($_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName) }
            })
        if ($piped) {
            $inputs | Should -Not -Contain 'None'
            $inputs | Should -Not -BeNullOrEmpty
        } else {
            $inputs | Should -Be @('None')
        }
        $full = Get-Help $Name -Full | Out-String
        $full | Should -Match '(?m)^INPUTS\s*\r?\n\s+\S'
        $full | Should -Match '(?m)^OUTPUTS\s*\r?\n\s+\S'
    }
}

Describe 'Dependency isolation' {
    It 'loads the client and its dependencies into the module''s own load context, not the default one' {
        $alc = [System.Runtime.Loader.AssemblyLoadContext]
        $moduleAlc = @($alc::All | Where-Object Name -EQ 'QueuedTraining.PowerShell')
        $moduleAlc | Should -HaveCount 1
        $service = Start-QueueService
        Connect-QTQueue $service.Url | Out-Null
        try {
            Get-QTCapacity | Out-Null
            $private = $moduleAlc[0].Assemblies.GetName().Name
            foreach ($name in 'QueuedTraining.Client', 'QueuedTraining.Contracts', 'QueuedTraining.PowerShell.Engine',
                'Microsoft.Extensions.Http', 'Microsoft.Extensions.Options', 'Polly.Core') {
                $private | Should -Contain $name
            }
            $fromModule = $alc::Default.Assemblies | Where-Object { $_.Location -like "$(Split-Path $env:QT_TEST_MODULE)*" }
            $fromModule.GetName().Name | Should -Be 'QueuedTraining.PowerShell'
        } finally {
            Disconnect-QTQueue
            Stop-QueueService $service
        }
    }

    It 'works in a session that loaded an older Microsoft.Extensions.Options first, as another module might' {
        $service = Start-QueueService
        try {
            $script = {
                param($oldOptions, $module, $url)
                $ErrorActionPreference = 'Stop'
                $old = [System.Reflection.Assembly]::LoadFrom($oldOptions)
                Import-Module $module
                Connect-QTQueue $url | Out-Null
                $job = Submit-QTTrainingJob @{
                    TrainingJobName = 'isolated-1'; RoleArn = 'arn:aws:iam::000000000000:role/SageMakerTraining'
                    AlgorithmSpecification = @{ TrainingImage = 'img:1'; TrainingInputMode = 'File' }
                    OutputDataConfig = @{ S3OutputPath = 's3://b/o/' }; StoppingCondition = @{ MaxRuntimeInSeconds = 60 }
                    ResourceConfig = @{ InstanceType = 'ml.p5.48xlarge'; InstanceCount = 1; VolumeSizeInGB = 10 }
                }
                $mine = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -EQ 'QueuedTraining.PowerShell'
                $ours = $mine.Assemblies | Where-Object { $_.GetName().Name -eq 'Microsoft.Extensions.Options' }
                $default = [System.Runtime.Loader.AssemblyLoadContext]::Default.Assemblies | Where-Object { $_.GetName().Name -eq 'Microsoft.Extensions.Options' }
                [pscustomobject]@{
                    Job            = $job.Name
                    DefaultOptions = "$($default.GetName().Version)"
                    ModuleOptions  = "$($ours.GetName().Version)"
                    OldStillThere  = [object]::ReferenceEquals($default, $old)
                } | ConvertTo-Json -Compress
            }
            # A fresh pwsh process, so that the older assembly is truly the first one loaded.
            $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
            $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes(
                    "& { $script } '$($env:QT_TEST_OLD_OPTIONS_DLL)' '$($env:QT_TEST_MODULE)' '$($service.Url)'"))
            $output = & $pwsh -NoProfile -NonInteractive -EncodedCommand $encoded 2>&1
            $LASTEXITCODE | Should -Be 0 -Because ($output | Out-String)
            $result = ($output | Select-Object -Last 1) | ConvertFrom-Json
            $result.Job | Should -Be 'isolated-1'
            $result.DefaultOptions | Should -Be '8.0.0.0'
            $result.ModuleOptions | Should -BeLike '10.*'
            $result.OldStillThere | Should -BeTrue
        } finally {
            Stop-QueueService $service
        }
    }
}

Describe 'A queue service in ApiKey mode' {
    BeforeAll {
        $script:keyed = Start-QueueService -ExtraArguments '--QueuedTraining:Auth:Mode=ApiKey', '--QueuedTraining:Auth:ApiKeys:pester-key-1=pester'
    }
    AfterAll {
        Disconnect-QTQueue
        Stop-QueueService $keyed
    }

    It 'refuses a connection without a key with QueuedTraining.Unauthenticated' {
        { Connect-QTQueue $keyed.Url -MaxRetryAttempts 0 } |
            Should -Throw -ErrorId 'QueuedTraining.Unauthenticated,QueuedTraining.PowerShell.Commands.ConnectQTQueueCommand'
    }

    It 'refuses a wrong key with QueuedTraining.Unauthenticated' {
        $wrong = ConvertTo-SecureString 'not-the-key' -AsPlainText -Force
        { Connect-QTQueue $keyed.Url -ApiKey $wrong -MaxRetryAttempts 0 } |
            Should -Throw -ErrorId 'QueuedTraining.Unauthenticated,QueuedTraining.PowerShell.Commands.ConnectQTQueueCommand'
    }

    It 'connects with the key, and submits and lists under it' {
        $key = ConvertTo-SecureString 'pester-key-1' -AsPlainText -Force
        $info = Connect-QTQueue $keyed.Url -ApiKey $key -PassThru
        $info.UsesApiKey | Should -BeTrue
        $job = Submit-QTTrainingJob (New-TestRequest)
        $job.Owner | Should -Be 'pester'
        (Get-QTTrainingJob).Name | Should -Contain $job.Name
    }
}
