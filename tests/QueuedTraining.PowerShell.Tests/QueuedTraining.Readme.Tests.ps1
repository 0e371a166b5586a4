# The README's PowerShell section, run as an operator would: its install block publishes the built module to a
# PSResourceGet repository folder and installs it from there, then its script block runs against a live queue service.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:blocks = @(Get-ReadmePowerShellBlock (Join-Path $root 'README.md'))
    $script:service = Start-QueueService
}

AfterAll {
    Stop-QueueService $service
}

Describe 'The README''s PowerShell section' {
    It 'has an install block and a script block' {
        $blocks | Should -HaveCount 2
        $blocks[0] -join "`n" | Should -Match 'Install-PSResource QueuedTraining'
        $blocks[1] -join "`n" | Should -Match 'Connect-QTQueue'
    }

    It 'installs the module with Install-PSResource and runs the script in a fresh pwsh, every object shown' {
        $sandbox = Join-Path ([System.IO.Path]::GetTempPath()) "qt-readme-$([guid]::NewGuid().ToString('N'))"
        $home_ = New-Item -ItemType Directory (Join-Path $sandbox 'home')
        $work = New-Item -ItemType Directory (Join-Path $sandbox 'work')
        # Long enough that the script changes job1's priority before it ends, on a busy machine too.
        $request = New-TestRequest -Name 'job1' -DurationSeconds 8
        $request | ConvertTo-Json -Depth 5 | Set-Content (Join-Path $work 'job.json')

        # The suite built the module already; the README's relative paths are from the repository root.
        $install = $blocks[0] | Where-Object { $_ -notmatch '^\s*dotnet ' } |
            ForEach-Object { $_.Replace('./src/', "$root/src/").Replace('bin/Release/', "bin/$env:QT_TEST_CONFIGURATION/") }
        $script = $blocks[1] | ForEach-Object { $_.Replace('http://127.0.0.1:5080', $service.Url) }
        $file = Join-Path $sandbox 'readme.ps1'
        @($install) + @($script) + @('"ModuleBase=$((Get-Module QueuedTraining).ModuleBase)"') | Set-Content $file

        # A home of its own: PSResourceGet's repository list and the CurrentUser module folder live under it, so the
        # test neither reads nor changes this user's.
        $saved = @{ HOME = $env:HOME; XDG_DATA_HOME = $env:XDG_DATA_HOME; XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME; PSModulePath = $env:PSModulePath }
        $env:HOME = $home_.FullName
        $env:XDG_DATA_HOME = $null
        $env:XDG_CONFIG_HOME = $null
        $env:PSModulePath = $null
        Push-Location $work
        try {
            $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
            $output = & $pwsh -NoProfile -NonInteractive -File $file 2>&1 | ForEach-Object { "$_" }
            $code = $LASTEXITCODE
        } finally {
            Pop-Location
            foreach ($name in $saved.Keys) { Set-Item "env:$name" $saved[$name] }
        }
        $text = $output -join "`n"
        $code | Should -Be 0 -Because $text
        $text | Should -Not -Match 'Exception|error' -Because $text

        # Installed from the repository folder into the CurrentUser scope of the sandboxed home.
        $text | Should -Match ([regex]::Escape("ModuleBase=$($home_.FullName)") + '.*QueuedTraining')
        Get-ChildItem -Recurse -Filter 'QueuedTraining.*.nupkg' $sandbox | Should -Not -BeNullOrEmpty

        # Each job row carries its values: a row left blank by another object's table shape has only spaces.
        $output | Where-Object { $_ -match '^\s+$' } | Should -BeNullOrEmpty -Because $text
        $text | Should -Match 'What if: .*training job job1'
        $text | Should -Match '(?m)^Name\s+State\s+Priority\s+Position\s+InstanceType\s+Count\s+WaitingSince'
        $text | Should -Match '(?m)^job1\s+(Pending|Starting|Running)\s+50\s'
        $text | Should -Match '(?m)^job1\s+\w+\s+90\s'
        $text | Should -Match '(?m)^job1\s+Completed\s+90\s'
        $text | Should -Match '(?m)^job2\s+(Cancelled|Stopping|Stopped)\s'
        $text | Should -Match '(?m)^InstanceType\s*:\s*ml\.p5\.48xlarge|^ml\.p5\.48xlarge\s+1\s+\d\s+\d'
        Remove-Item -Recurse -Force $sandbox -ErrorAction SilentlyContinue
    }
}
