using QueuedTraining.Core.Jobs;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

public sealed class JobNamesTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("job-1")]
    [InlineData("a--b")]
    public void IsValid_SageMakerNames_AreAccepted(string name) => Assert.True(JobNames.IsValid(name));

    [Theory]
    [InlineData("")]
    [InlineData("abc\n")]
    [InlineData("-abc")]
    [InlineData("abc-")]
    [InlineData("ab_c")]
    [InlineData("ab c")]
    public void IsValid_BrokenNames_AreRefused(string name) => Assert.False(JobNames.IsValid(name));

    [Fact]
    public void IsValid_LengthLimit_IsSixtyThreeWhateverTheHyphens()
    {
        Assert.True(JobNames.IsValid(new string('a', 63)));
        Assert.False(JobNames.IsValid(new string('a', 64)));
        Assert.False(JobNames.IsValid("a" + new string('-', 70) + "b"));
    }

    [Fact]
    public void AttemptNames_SixHundredLongNamesSharingTheirFirstFiftyFiveCharacters_AreAllDifferentAndValid()
    {
        var prefix = new string('p', 55);
        var names = Enumerable.Range(0, 600).Select(i => $"{prefix}{i:D8}").ToList();
        Assert.All(names, name => Assert.True(JobNames.IsValid(name)));

        var attempts = names.Select(name => AttemptNames.Create(name, 1, TestJobs.Epoch)).ToList();

        Assert.Equal(attempts.Count, attempts.Distinct(StringComparer.Ordinal).Count());
        Assert.All(attempts, attempt => Assert.True(JobNames.IsValid(attempt), attempt));
    }

    [Fact]
    public void AttemptNames_NameThatFits_KeepsTheWholeNameAndAShortTag()
    {
        var attempt = AttemptNames.Create("train-resnet", 3, TestJobs.Epoch);

        Assert.Matches(@"\Atrain-resnet-q3-[0-9a-f]{4}\z", attempt);
    }
}
