using System.Reflection;
using System.Runtime.Loader;

namespace QueuedTraining.PowerShell;

/// <summary>
/// The module's own load context: the engine, QueuedTraining.Client and .Contracts, Microsoft.Extensions.* and
/// Polly load here from the module's <c>dependencies</c> folder, whatever versions other modules (say, one
/// that ships its own AWSSDK.Core or Microsoft.Extensions.Options) already loaded into the default context.
/// Everything not in that folder (System.*, System.Management.Automation) comes from the default context, so
/// PowerShell's own types stay shared.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private readonly string _directory;

    private DependencyLoadContext(string directory)
        : base("QueuedTraining.PowerShell", isCollectible: false)
    {
        _directory = directory;
    }

    /// <summary>One per process: a module imported again, or in another runspace, keeps the same context.</summary>
    public static DependencyLoadContext Instance { get; } = new(
        Path.Combine(Path.GetDirectoryName(typeof(DependencyLoadContext).Assembly.Location)!, "dependencies"));

    /// <summary>Whether <paramref name="name"/> is an assembly this module ships in its dependencies folder.</summary>
    public bool Ships(AssemblyName name) => name.Name is not null && File.Exists(PathOf(name));

    /// <inheritdoc/>
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = PathOf(assemblyName);
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    private string PathOf(AssemblyName name) => Path.Combine(_directory, name.Name + ".dll");
}
