BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $env:QT_TEST_MODULE -Force
    # The only instance is the vision team's reserved quota: a job of any other team waits for it.
    $script:service = Start-QueueService -ExtraArguments @(
        '--QueuedTraining:Teams:vision:Quota:ml.p5.48xlarge=1',
        '--QueuedTraining:Teams:vision:Lending:ml.p5.48xlarge=Reserve'
    )
    Connect-QTQueue $service.Url | Out-Null
    $script:waiting = New-TestJobName 'team'
    Submit-QTTrainingJob (New-TestRequest -Name $waiting -DurationSeconds 3600) | Out-Null
}

AfterAll {
    Disconnect-QTQueue
    Stop-QueueService $service
}

Describe 'Get-QTTeam' {
    It 'shows each team''s quota, lending and use per pool' {
        $vision = Get-QTTeam vision
        $vision.InstanceType | Should -Be 'ml.p5.48xlarge'
        $vision.Quota | Should -Be 1
        $vision.Lending | Should -Be 'Reserve'
        $vision.InUse | Should -Be 0
        $default = Get-QTTeam -Team 'def*' -InstanceType 'ml.p5*'
        $default.Waiting | Should -Be 1
        $default.Quota | Should -Be 0
        ($vision | Format-Table | Out-String) | Should -Match 'Team\s+InstanceType\s+Quota\s+Lending\s+InUse\s+Borrowed\s+Lent\s+Waiting'
    }

    It 'writes nothing for a team pattern that matches no team' {
        Get-QTTeam 'nobody*' -ErrorVariable failure | Should -BeNullOrEmpty
        $failure | Should -BeNullOrEmpty
    }
}

Describe 'Get-QTTrainingJob with teams' {
    It 'shows the job''s team and why the reserved quota keeps it waiting' {
        $job = Get-QTTrainingJob $waiting
        $job.Team | Should -Be 'default'
        $job.State | Should -Be 'Pending'
        $job.Reason | Should -Match 'reserved for team\(s\) vision'
    }
}
