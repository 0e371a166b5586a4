using QueuedTraining.Core.Planning;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

/// <summary>Every reason the queue gives has one catalog entry and one documented example.</summary>
public sealed class ReasonCatalogTests
{
    [Fact]
    public void For_EveryWaitReasonAndPreemptionRule_HasAnEntryWithAUniqueCodeAndASentence()
    {
        var entries = Enum.GetValues<WaitReasonCode>().Select(ReasonCatalog.For)
            .Concat(Enum.GetValues<PreemptionRule>().Select(ReasonCatalog.For))
            .ToList();

        Assert.Equal(entries.Count, entries.Select(e => e.Code).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(entries, ReasonCatalog.All);
        Assert.All(entries, e => Assert.EndsWith(".", e.Meaning, StringComparison.Ordinal));
        Assert.All(Enum.GetValues<WaitReasonCode>(), code => Assert.Equal(code.ToString(), ReasonCatalog.For(code).Code));
    }

    [Fact]
    public void Docs_PreemptionPage_HasARowWithAnExampleForEveryCode()
    {
        var page = File.ReadAllLines(RepositoryFiles.PathOf("docs/preemption.md"));

        Assert.All(ReasonCatalog.All, entry =>
        {
            var row = Assert.Single(page, line => line.StartsWith($"| `{entry.Code}` |", StringComparison.Ordinal));
            Assert.Equal(4, row.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Count(cell => cell.Length > 0));
        });
    }
}
