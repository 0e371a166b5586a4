using System.IO.Compression;
using System.Xml.Linq;
using QueuedTraining.Packaging.Tests.Fixtures;

namespace QueuedTraining.Packaging.Tests;

/// <summary>What <c>dotnet pack QueuedTraining.sln</c> produces: every package, each complete enough to restore and read.</summary>
[Collection(PackedFeedGroup.Name)]
public sealed class PackTests(PackedFeed feed)
{
    [Fact]
    public void Pack_Solution_ProducesExactlyThePackableProjects()
    {
        // The packages the issue names must be among those the source tree declares; the server and the module are not.
        foreach (var named in new[] { "QueuedTraining.Client", "QueuedTraining.Contracts", "QueuedTraining.SageMaker" })
        {
            Assert.Contains(named, feed.ExpectedPackageIds);
        }

        Assert.DoesNotContain("QueuedTraining.Server", feed.ExpectedPackageIds);

        var produced = Directory.EnumerateFiles(feed.FeedDirectory, "*.nupkg")
            .Select(Path.GetFileName)
            .Select(file => file![..^$".{feed.Version}.nupkg".Length])
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(feed.ExpectedPackageIds, produced);
    }

    [Fact]
    public void Pack_EveryPackage_CarriesItsOwnReadmeAndMetadata()
    {
        foreach (var id in feed.ExpectedPackageIds)
        {
            using var package = ZipFile.OpenRead(feed.PackagePath(id));
            var metadata = Nuspec(package).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string? Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

            Assert.Equal("README.md", Field("readme"));
            var readme = ReadEntry(package, "README.md");
            var source = File.ReadAllText(Path.Combine(feed.Repository, "src", id, "README.md"));
            Assert.Equal(source, readme);
            Assert.StartsWith($"# {id}", readme, StringComparison.Ordinal);

            Assert.False(string.IsNullOrWhiteSpace(Field("description")), $"{id} has no description.");
            Assert.Equal("Apache-2.0", Field("license"));
            Assert.Contains("sagemaker", Field("tags") ?? string.Empty, StringComparison.Ordinal);
            Assert.NotNull(package.GetEntry($"lib/net10.0/{id}.dll"));
            Assert.NotNull(package.GetEntry($"lib/net10.0/{id}.xml"));
        }
    }

    [Theory]
    [InlineData("QueuedTraining.Contracts")]
    [InlineData("QueuedTraining.Client")]
    [InlineData("QueuedTraining.SageMaker")]
    public void Pack_ClientSidePackage_ShipsDotNet8Build(string id)
    {
        using var package = ZipFile.OpenRead(feed.PackagePath(id));

        Assert.NotNull(package.GetEntry($"lib/net8.0/{id}.dll"));
        Assert.NotNull(package.GetEntry($"lib/net8.0/{id}.xml"));
    }

    [Fact]
    public void Pack_EveryPackage_DependsOnlyOnPackagesTheFeedHoldsOrNuGetServes()
    {
        foreach (var id in feed.ExpectedPackageIds)
        {
            using var package = ZipFile.OpenRead(feed.PackagePath(id));
            foreach (var (dependency, _) in Dependencies(package).Where(d => d.Id.StartsWith("QueuedTraining.", StringComparison.Ordinal)))
            {
                // Packing the client alone once left its dependency on QueuedTraining.Contracts unresolvable (NU1101).
                Assert.True(File.Exists(feed.PackagePath(dependency)), $"{id} depends on {dependency}, which was not packed.");
            }
        }
    }

    [Fact]
    public void Pack_SageMaker_DependsOnAwsSdkCoreByRangeWithinItsMajor()
    {
        using var package = ZipFile.OpenRead(feed.PackagePath("QueuedTraining.SageMaker"));
        var core = Dependencies(package).Where(d => d.Id == "AWSSDK.Core").Select(d => d.Version).Distinct().ToList();

        // An exact pin ("[4.1.0]") made every application with a newer AWSSDK.* fail restore (NU1107). One range for
        // every target framework's dependency group.
        Assert.Equal(["[4.1.0, 5.0.0)"], core);
    }

    private static XDocument Nuspec(ZipArchive package) =>
        XDocument.Parse(ReadEntry(package, package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).FullName));

    private static List<(string Id, string Version)> Dependencies(ZipArchive package) =>
        Nuspec(package).Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => ((string)e.Attribute("id")!, (string)e.Attribute("version")!))
            .ToList();

    private static string ReadEntry(ZipArchive package, string name)
    {
        using var reader = new StreamReader(package.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }
}
