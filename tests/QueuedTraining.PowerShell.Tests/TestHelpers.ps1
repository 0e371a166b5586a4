# Shared by the *.Tests.ps1 files: starts and stops a real queue service on a free loopback port, and makes requests.

function Get-FreeTcpPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Start-QueueService {
    param([string[]] $ExtraArguments = @())
    $port = Get-FreeTcpPort
    $dir = Join-Path ([System.IO.Path]::GetTempPath()) "qt-pester-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory $dir | Out-Null
    $arguments = @(
        $env:QT_TEST_SERVER_DLL, '--urls', "http://127.0.0.1:$port",
        "--QueuedTraining:Sqlite:Path=$dir/q.db",
        '--QueuedTraining:Capacity:ml.p5.48xlarge=1',
        '--QueuedTraining:Simulated:StopGracePeriod=00:00:00.5'
    ) + $ExtraArguments
    $process = Start-Process dotnet -ArgumentList $arguments -PassThru -RedirectStandardOutput "$dir/out.log" -RedirectStandardError "$dir/err.log"
    $url = "http://127.0.0.1:$port"
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while ($true) {
        if ($process.HasExited) { throw "The queue service exited at start: $(Get-Content -Raw "$dir/out.log") $(Get-Content -Raw "$dir/err.log")" }
        try {
            # Any HTTP answer (401 in ApiKey mode too) means it is listening.
            Invoke-WebRequest "$url/v1/capacity" -SkipHttpErrorCheck -TimeoutSec 2 | Out-Null
            break
        } catch {
            if ([DateTime]::UtcNow -gt $deadline) { throw "The queue service did not answer at $url within 60 s." }
            Start-Sleep -Milliseconds 200
        }
    }
    [pscustomobject]@{ Url = $url; Process = $process; Directory = $dir }
}

function Stop-QueueService {
    param($Service)
    if ($Service -and -not $Service.Process.HasExited) {
        $Service.Process.Kill($true)
        $Service.Process.WaitForExit(10000) | Out-Null
    }
    if ($Service) { Remove-Item -Recurse -Force $Service.Directory -ErrorAction SilentlyContinue }
}

function New-TestJobName { param([string] $Prefix = 'ps') "$Prefix-$([guid]::NewGuid().ToString('N').Substring(0, 12))" }

function New-TestRequest {
    param([string] $Name = (New-TestJobName), [int] $DurationSeconds = 600)
    @{
        TrainingJobName        = $Name
        RoleArn                = 'arn:aws:iam::000000000000:role/SageMakerTraining'
        AlgorithmSpecification = @{ TrainingImage = 'pytorch-training:2.3-gpu-py311'; TrainingInputMode = 'File' }
        OutputDataConfig       = @{ S3OutputPath = 's3://example-bucket/output/' }
        ResourceConfig         = @{ InstanceType = 'ml.p5.48xlarge'; InstanceCount = 1; VolumeSizeInGB = 100 }
        StoppingCondition      = @{ MaxRuntimeInSeconds = 3600 }
        HyperParameters        = @{ sim_duration_seconds = $DurationSeconds }
    }
}

function Wait-JobState {
    param([string] $Name, [string[]] $State, [int] $TimeoutSec = 30)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    do {
        $job = Get-QTTrainingJob $Name
        if ("$($job.State)" -in $State) { return $job }
        Start-Sleep -Milliseconds 200
    } while ([DateTime]::UtcNow -lt $deadline)
    throw "Training job $Name is $($job.State), not $($State -join '/'), after $TimeoutSec s."
}

# The assemblies a DLL references, read from its metadata without loading it into this session.
function Get-AssemblyReference {
    param([string] $Path)
    $stream = [System.IO.File]::OpenRead($Path)
    try {
        $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
        $metadata = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
        foreach ($handle in $metadata.AssemblyReferences) {
            $reference = $metadata.GetAssemblyReference($handle)
            [pscustomobject]@{ Name = $metadata.GetString($reference.Name); Version = $reference.Version }
        }
    } finally {
        $stream.Dispose()
    }
}

# The ```powershell blocks of the README's "### PowerShell" section, each as an array of lines.
function Get-ReadmePowerShellBlock {
    param([string] $Path)
    $text = Get-Content -Raw $Path
    $section = [regex]::Match($text, '(?ms)^### PowerShell\s*$(.*?)(?=^##? )').Groups[1].Value
    if (-not $section) { throw "$Path has no '### PowerShell' section." }
    foreach ($block in [regex]::Matches($section, '(?ms)^```powershell\s*$(.*?)^```')) {
        , @($block.Groups[1].Value.Trim() -split '\r?\n')
    }
}
