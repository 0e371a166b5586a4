#Requires -Version 7.6
<#
.SYNOPSIS
    Runs the QueuedTraining PowerShell module's Pester suite against the real queue service on loopback.
.DESCRIPTION
    Restores Pester 6.2.0 (and the old assembly the isolation test needs) from NuGet into obj/packages, builds the
    module and the queue service when their build output is missing, runs every *.Tests.ps1 here, and ends with
    exactly one line "Pester: <passed> passed, <failed> failed". Exits non-zero when a test failed or none ran.
    Run it from the repository root with the pinned pwsh:
        dotnet tool restore
        dotnet tool run pwsh -NoProfile -NonInteractive -File tests/QueuedTraining.PowerShell.Tests/Invoke-Tests.ps1 -Configuration Release
#>
param(
    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release'
)
$ErrorActionPreference = 'Stop'
$env:NO_COLOR = '1'
$PSStyle.OutputRendering = 'PlainText'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$packages = Join-Path $PSScriptRoot 'obj/packages'

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') exited $LASTEXITCODE" }
}

$pester = Join-Path $packages 'pester/6.2.0/tools/Pester.psd1'
$oldOptions = Join-Path $packages 'microsoft.extensions.options/8.0.0/lib/net8.0/Microsoft.Extensions.Options.dll'
if (-not (Test-Path $pester) -or -not (Test-Path $oldOptions)) {
    Invoke-Dotnet restore (Join-Path $PSScriptRoot 'PesterPackage.csproj') --packages $packages --verbosity quiet
}

$moduleDir = Join-Path $root "src/QueuedTraining.PowerShell/bin/$Configuration/net8.0"
$serverDll = Join-Path $root "src/QueuedTraining.Server/bin/$Configuration/net10.0/QueuedTraining.Server.dll"
if (-not (Test-Path (Join-Path $moduleDir 'dependencies/QueuedTraining.PowerShell.Engine.dll'))) {
    Invoke-Dotnet build (Join-Path $root 'src/QueuedTraining.PowerShell') -c $Configuration --nologo --verbosity quiet
}
if (-not (Test-Path $serverDll)) {
    Invoke-Dotnet build (Join-Path $root 'src/QueuedTraining.Server') -c $Configuration --nologo --verbosity quiet
}

# The test files read these; each starts its own queue service.
$env:QT_TEST_MODULE = Join-Path $moduleDir 'QueuedTraining.psd1'
$env:QT_TEST_SERVER_DLL = $serverDll
$env:QT_TEST_OLD_OPTIONS_DLL = $oldOptions
$env:QT_TEST_CONFIGURATION = $Configuration

Import-Module $pester -RequiredVersion 6.2.0 -Force
$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.TestResult.Enabled = $true
$resultFile = Join-Path $root '.artifacts/test-results/pester.xml'
New-Item -ItemType Directory -Force (Split-Path $resultFile) | Out-Null
$config.TestResult.OutputPath = $resultFile
$config.TestResult.OutputFormat = 'NUnitXml'

$result = Invoke-Pester -Configuration $config
$passed = $result.PassedCount
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
"Pester: $passed passed, $failed failed"
if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
exit 0
