@{
    RootModule           = 'QueuedTraining.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Core')
    GUID                 = '5b0f3d7e-2a4c-4e8e-9f61-3c7d2b1a9e40'
    Author               = 'QueuedTraining developers'
    CompanyName          = 'QueuedTraining'
    Copyright            = '(c) QueuedTraining developers. Apache-2.0.'
    Description          = 'Operate a QueuedTraining service, the durable priority queue in front of Amazon SageMaker CreateTrainingJob: submit, list, reprioritise, stop and wait for training jobs, and show capacity.'
    PowerShellVersion    = '7.4'
    FormatsToProcess     = @('QueuedTraining.format.ps1xml')
    CmdletsToExport      = @(
        'Connect-QTQueue'
        'Disconnect-QTQueue'
        'Submit-QTTrainingJob'
        'Get-QTTrainingJob'
        'Stop-QTTrainingJob'
        'Set-QTTrainingJobPriority'
        'Get-QTCapacity'
        'Get-QTTeam'
        'Wait-QTTrainingJob'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('SageMaker', 'Training', 'Queue', 'Scheduler')
            LicenseUri = 'https://www.apache.org/licenses/LICENSE-2.0'
        }
    }
}
