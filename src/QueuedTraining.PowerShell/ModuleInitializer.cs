using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace QueuedTraining.PowerShell;

/// <summary>
/// Runs when the module is imported: from then on, when the default load context looks for one of QueuedTraining's
/// own assemblies (the cmdlets reference the engine, the client and the contracts), it gets the copy loaded in the
/// module's <see cref="DependencyLoadContext"/>, and that copy's dependencies resolve there too.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string[] OwnAssemblies =
    [
        "QueuedTraining.PowerShell.Engine",
        "QueuedTraining.Client",
        "QueuedTraining.Contracts",
    ];

    /// <inheritdoc/>
    public void OnImport() => AssemblyLoadContext.Default.Resolving += ResolveOwnAssembly;

    /// <inheritdoc/>
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        AssemblyLoadContext.Default.Resolving -= ResolveOwnAssembly;
        QueueConnections.DisconnectAll();
    }

    // Only QueuedTraining's own assemblies are redirected: a third-party library asked for by the default context
    // belongs to whoever asked, and handing it ours would be the very clash this context avoids.
    private static Assembly? ResolveOwnAssembly(AssemblyLoadContext context, AssemblyName name) =>
        Array.IndexOf(OwnAssemblies, name.Name) >= 0 && DependencyLoadContext.Instance.Ships(name)
            ? DependencyLoadContext.Instance.LoadFromAssemblyName(name)
            : null;
}
