using System.Collections.Immutable;
using System.Linq;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace QueuedTraining.Analyzers;

/// <summary>
/// Requires every documented public method, constructor, indexer and delegate of a package to document each parameter
/// (<c>param</c>) and its return value (<c>returns</c>), which the compiler does not check: CS1591 only notices a member
/// with no comment at all, and CS1573 only a parameter missing beside documented ones. <c>inheritdoc</c> counts as
/// documented; a <c>Task</c> or <c>ValueTask</c> without a result needs no <c>returns</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DocumentedMembersAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The id of "a parameter has no <c>param</c>".</summary>
    public const string MissingParamId = "QT0001";

    /// <summary>The id of "the return value has no <c>returns</c>".</summary>
    public const string MissingReturnsId = "QT0002";

    private static readonly DiagnosticDescriptor MissingParam = new(
        MissingParamId,
        "Document every parameter of a public member",
        "Parameter '{0}' of '{1}' has no <param> in its XML documentation",
        "Documentation",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Public members ship in the NuGet package's documentation; each parameter needs a <param>.");

    private static readonly DiagnosticDescriptor MissingReturns = new(
        MissingReturnsId,
        "Document the return value of a public member",
        "'{0}' has no <returns> in its XML documentation",
        "Documentation",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Public members ship in the NuGet package's documentation; a member that returns a value needs a <returns>.");

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(MissingParam, MissingReturns);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(AnalyzeMethod, SymbolKind.Method);
        context.RegisterSymbolAction(AnalyzeProperty, SymbolKind.Property);
        context.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.Constructor or MethodKind.UserDefinedOperator or MethodKind.Conversion)
            || method.IsImplicitlyDeclared
            || !IsVisible(method))
        {
            return;
        }

        // A primary constructor's parameters are documented on its type.
        var primary = method.MethodKind == MethodKind.Constructor
            && method.DeclaringSyntaxReferences.Any(r => r.GetSyntax(context.CancellationToken) is TypeDeclarationSyntax);
        var documentation = Read(primary ? method.ContainingType : method, context);
        if (documentation is null)
        {
            return;
        }

        Check(context, method, method.Parameters, documentation);
        if (!primary && !method.ReturnsVoid && method.MethodKind != MethodKind.Constructor && !IsResultlessTask(method.ReturnType)
            && documentation.Element("returns") is null)
        {
            context.ReportDiagnostic(Diagnostic.Create(MissingReturns, method.Locations.FirstOrDefault(), method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)));
        }
    }

    private static void AnalyzeProperty(SymbolAnalysisContext context)
    {
        var property = (IPropertySymbol)context.Symbol;
        if (!property.IsIndexer || property.IsImplicitlyDeclared || !IsVisible(property) || Read(property, context) is not { } documentation)
        {
            return;
        }

        Check(context, property, property.Parameters, documentation);
    }

    private static void AnalyzeType(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeKind != TypeKind.Delegate || type.DelegateInvokeMethod is not { } invoke || !IsVisible(type) || Read(type, context) is not { } documentation)
        {
            return;
        }

        Check(context, type, invoke.Parameters, documentation);
    }

    private static void Check(SymbolAnalysisContext context, ISymbol symbol, ImmutableArray<IParameterSymbol> parameters, XElement documentation)
    {
        var documented = documentation.Elements("param").Select(p => (string?)p.Attribute("name")).ToImmutableHashSet();
        foreach (var parameter in parameters.Where(p => !documented.Contains(p.Name)))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                MissingParam,
                parameter.Locations.FirstOrDefault() ?? symbol.Locations.FirstOrDefault(),
                parameter.Name,
                symbol.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)));
        }
    }

    /// <summary>The member's documentation; null when it has none (CS1591 reports that) or inherits it.</summary>
    private static XElement? Read(ISymbol symbol, SymbolAnalysisContext context)
    {
        var xml = symbol.GetDocumentationCommentXml(cancellationToken: context.CancellationToken);
        if (string.IsNullOrWhiteSpace(xml))
        {
            return null;
        }

        try
        {
            var root = XElement.Parse(xml);
            return root.Descendants("inheritdoc").Any() ? null : root;
        }
        catch (System.Xml.XmlException)
        {
            // Malformed XML is CS1570's to report.
            return null;
        }
    }

    private static bool IsVisible(ISymbol symbol)
    {
        for (var current = symbol; current is not null && current.Kind != SymbolKind.Namespace; current = current.ContainingSymbol)
        {
            if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsResultlessTask(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsGenericType: false, Name: "Task" or "ValueTask" } named
        && named.ContainingNamespace.ToDisplayString() == "System.Threading.Tasks";
}
