#Requires -Version 7.6
<#
.SYNOPSIS
    Writes en-US/QueuedTraining.PowerShell.dll-Help.xml (MAML) from HelpSource.psd1 and the built module's cmdlets.
.DESCRIPTION
    Texts come from HelpSource.psd1; syntax and parameter metadata (type, position, pipeline input, wildcards), the
    INPUTS (the types of the parameters that bind from the pipeline) and the OUTPUTS (the cmdlet's [OutputType]) come
    from the cmdlets themselves, so the help cannot drift from the code on those. Run it after changing either:
        dotnet build src/QueuedTraining.PowerShell -c Release
        dotnet tool run pwsh -NoProfile -File src/QueuedTraining.PowerShell/help/Build-Help.ps1
    It fails when a cmdlet or a parameter has no text.
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../bin/Release/net8.0/QueuedTraining.psd1'),
    [string] $OutFile = (Join-Path $PSScriptRoot '../en-US/QueuedTraining.PowerShell.dll-Help.xml')
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
$source = Import-PowerShellDataFile (Join-Path $PSScriptRoot 'HelpSource.psd1')
$common = [System.Management.Automation.Cmdlet]::CommonParameters
$shouldProcessText = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Asks for confirmation before running the cmdlet.'
}
$maml = 'http://schemas.microsoft.com/maml/2004/10'
$cmd = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$dev = 'http://schemas.microsoft.com/maml/dev/2004/10'

function TypeName([type] $t) {
    if ($t -eq [System.Management.Automation.SwitchParameter]) { return 'SwitchParameter' }
    $n = [Nullable]::GetUnderlyingType($t)
    if ($n) { $t = $n }
    $t.Name
}
function PipelineInput($p) {
    $kinds = @()
    if ($p.ValueFromPipeline) { $kinds += 'ByValue' }
    if ($p.ValueFromPipelineByPropertyName) { $kinds += 'ByPropertyName' }
    if ($kinds) { 'True ({0})' -f ($kinds -join ', ') } else { 'False' }
}
function Para($w, [string] $text) { $w.WriteStartElement('maml', 'para', $maml); $w.WriteString($text); $w.WriteEndElement() }
function ParameterElement($w, $p, $meta, [string] $text, [bool] $withDescription) {
    $w.WriteStartElement('command', 'parameter', $cmd)
    $w.WriteAttributeString('required', "$($p.IsMandatory)".ToLowerInvariant())
    $w.WriteAttributeString('position', $(if ($p.Position -ge 0) { "$($p.Position)" } else { 'named' }))
    $w.WriteAttributeString('pipelineInput', (PipelineInput $p))
    $w.WriteAttributeString('globbing', "$([bool]($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }))".ToLowerInvariant())
    $w.WriteElementString('maml', 'name', $maml, $p.Name)
    if ($withDescription) { $w.WriteStartElement('maml', 'description', $maml); Para $w $text; $w.WriteEndElement() }
    $type = TypeName $p.ParameterType
    if ($type -ne 'SwitchParameter') {
        $w.WriteStartElement('command', 'parameterValue', $cmd); $w.WriteAttributeString('required', 'true'); $w.WriteString($type); $w.WriteEndElement()
    }
    if ($withDescription) {
        $w.WriteStartElement('dev', 'type', $dev); $w.WriteElementString('maml', 'name', $maml, $type); $w.WriteEndElement()
    }
    $w.WriteEndElement()
}

$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
New-Item -ItemType Directory -Force (Split-Path $OutFile) | Out-Null
$w = [System.Xml.XmlWriter]::Create($OutFile, $settings)
$w.WriteStartDocument()
$w.WriteStartElement('helpItems', 'http://msh')
$w.WriteAttributeString('schema', 'maml')
foreach ($command in Get-Command -Module QueuedTraining -CommandType Cmdlet | Sort-Object Name) {
    $help = $source[$command.Name]
    if (-not $help) { throw "HelpSource.psd1 has no entry for $($command.Name)." }
    $w.WriteStartElement('command', 'command', $cmd)
    $w.WriteAttributeString('xmlns', 'maml', $null, $maml)
    $w.WriteAttributeString('xmlns', 'dev', $null, $dev)
    $w.WriteStartElement('command', 'details', $cmd)
    $w.WriteElementString('command', 'name', $cmd, $command.Name)
    $w.WriteElementString('command', 'verb', $cmd, $command.Verb)
    $w.WriteElementString('command', 'noun', $cmd, $command.Noun)
    $w.WriteStartElement('maml', 'description', $maml); Para $w $help.Synopsis; $w.WriteEndElement()
    $w.WriteEndElement()
    $w.WriteStartElement('maml', 'description', $maml); Para $w $help.Description; $w.WriteEndElement()

    $w.WriteStartElement('command', 'syntax', $cmd)
    foreach ($set in $command.ParameterSets) {
        $w.WriteStartElement('command', 'syntaxItem', $cmd)
        $w.WriteElementString('maml', 'name', $maml, $command.Name)
        foreach ($p in $set.Parameters | Where-Object Name -notin $common) {
            ParameterElement $w $p $command.Parameters[$p.Name] '' $false
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'parameters', $cmd)
    $seen = @{}
    foreach ($set in $command.ParameterSets) {
        foreach ($p in $set.Parameters | Where-Object Name -notin $common) {
            if ($seen[$p.Name]) { continue }
            $seen[$p.Name] = $true
            $text = $help.Parameters[$p.Name] ?? $shouldProcessText[$p.Name]
            if (-not $text) { throw "HelpSource.psd1 has no text for $($command.Name) -$($p.Name)." }
            ParameterElement $w $p $command.Parameters[$p.Name] $text $true
        }
    }
    $w.WriteEndElement()

    # INPUTS: one entry per type that binds from the pipeline, saying which parameters take it and how.
    $w.WriteStartElement('command', 'inputTypes', $cmd)
    $piped = @($command.Parameters.Values | Where-Object Name -NotIn $common | ForEach-Object {
            $meta = $_
            foreach ($p in $_.ParameterSets.Values | Where-Object { $_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName }) {
                $names = @($meta.Name) + @($meta.Aliases)
                $how = @()
                if ($p.ValueFromPipeline) { $how += 'by value' }
                if ($p.ValueFromPipelineByPropertyName) { $how += "by property name ($($names -join ', '))" }
                [pscustomobject]@{ Type = $meta.ParameterType.FullName -replace '\[\]$', ''; Text = "-$($meta.Name), $($how -join ' or ')." }
                break
            }
        })
    if (-not $piped) { $piped = @([pscustomobject]@{ Type = 'None'; Text = 'This cmdlet takes no pipeline input.' }) }
    foreach ($group in $piped | Group-Object Type) {
        $w.WriteStartElement('command', 'inputType', $cmd)
        $w.WriteStartElement('dev', 'type', $dev); $w.WriteElementString('maml', 'name', $maml, $group.Name); $w.WriteEndElement()
        $w.WriteStartElement('maml', 'description', $maml); Para $w ($group.Group.Text -join ' '); $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    # OUTPUTS: the types the cmdlet declares with [OutputType], described in HelpSource.psd1.
    $w.WriteStartElement('command', 'returnValues', $cmd)
    $outputs = @($command.OutputType.Name | Where-Object { $_ -ne 'System.Void' })
    if (-not $outputs) { $outputs = @('None') }
    foreach ($type in $outputs) {
        $text = $help.Outputs
        if (-not $text) { throw "HelpSource.psd1 has no Outputs text for $($command.Name)." }
        $w.WriteStartElement('command', 'returnValue', $cmd)
        $w.WriteStartElement('dev', 'type', $dev); $w.WriteElementString('maml', 'name', $maml, $type); $w.WriteEndElement()
        $w.WriteStartElement('maml', 'description', $maml); Para $w $text; $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'examples', $cmd)
    $i = 0
    foreach ($example in $help.Examples) {
        $i++
        $w.WriteStartElement('command', 'example', $cmd)
        $w.WriteElementString('maml', 'title', $maml, "-------------------------- Example $i --------------------------")
        $w.WriteElementString('dev', 'code', $dev, $example.Code)
        $w.WriteStartElement('dev', 'remarks', $dev); Para $w $example.Remarks; $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteEndElement()
}
$w.WriteEndElement()
$w.WriteEndDocument()
$w.Dispose()
"Wrote $OutFile"
