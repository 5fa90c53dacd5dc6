using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Herald.CodeAnalysis;
using Herald.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Herald.Generator
{
    public sealed partial class DispatchGenerator
    {
        /// <summary>Reads symbols into models that hold only strings, numbers and equatable arrays.</summary>
        internal static class Parser
        {
            private const string Durability = "global::Herald.Durability";

            private static readonly SymbolDisplayFormat s_display = SymbolDisplayFormat.FullyQualifiedFormat
                .WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted);

            public static HandlerSpec? ReadHandler(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
            {
                if (context.TargetSymbol is not IMethodSymbol method || context.Attributes.Length == 0)
                    return null;
                if (!HandlerShape.TryRead(method, context.Attributes[0], out var shape))
                    return null; // invalid handlers are reported by the analyzers
                cancellationToken.ThrowIfCancellationRequested();

                var eventType = ReadEventType(shape.EventType, method.ContainingAssembly);
                if (eventType is null)
                    return null;
                if (!shape.IsInline && eventType.Durable is null)
                    return null; // a durable handler's event needs an [Event] name: HER0007 reports it

                var owner = method.ContainingType;
                return new HandlerSpec(
                    eventType,
                    owner.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                    SourceNames.Escape(method.Name),
                    owner.ToDisplayString(s_display) + "." + method.Name,
                    method.IsStatic,
                    shape.Returns,
                    shape.TakesToken,
                    shape.Order,
                    context.TargetNode.SyntaxTree.FilePath,
                    context.TargetNode.SpanStart,
                    shape.Consumer);
            }

            /// <summary>
            /// The model of a type declared here with <c>[Event]</c>: its wire name and the JSON shape of its payload.
            /// Null when generated code cannot name it or its <c>[Event]</c> is unusable (the analyzers report both).
            /// </summary>
            public static DurableEventSpec? ReadDurableEvent(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
            {
                if (context.TargetSymbol is not INamedTypeSymbol type)
                    return null;
                var within = context.SemanticModel.Compilation.Assembly;
                var eventType = ReadEventType(type, within);
                if (eventType?.Durable is null)
                    return null;
                cancellationToken.ThrowIfCancellationRequested();

                var payload = new PayloadReader(within, cancellationToken);
                payload.DescribeRoot(type);
                return new DurableEventSpec(eventType, payload.Types, PayloadReader.ReadPartitionKey(type));
            }

            public static bool IsPublishCandidate(SyntaxNode node)
                => node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member }
                   && member.Name.Identifier.ValueText is "Publish" or "PublishAsync";

            /// <remarks>
            /// This step runs again for every publish site of the project whenever the compilation changes (any edit),
            /// so it binds as little as it can: the receiver and the event's type, speculatively, where the call is.
            /// Binding the call itself would bind the whole method body around it; that made this step cost about a
            /// millisecond per site on every keystroke. Only a site whose parts do not bind on their own (a
            /// <c>var</c> local as receiver, an argument that is a computed expression) is bound in full.
            /// </remarks>
            public static EventTypeSpec? ReadPublishSite(GeneratorSyntaxContext context, CancellationToken cancellationToken)
            {
                var invocation = (InvocationExpressionSyntax)context.Node;
                var model = context.SemanticModel;
                var (decided, eventType) = ReadPublishSiteCheaply(model, invocation, cancellationToken);
                if (!decided)
                {
                    if (model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method
                        || method.TypeArguments.Length != 1
                        || method.ContainingType is null
                        || method.ContainingType.ToDisplayString(s_display) != KnownNames.EventBus)
                        return null;
                    eventType = method.TypeArguments[0];
                }
                if (eventType is null || eventType.TypeKind is TypeKind.TypeParameter or TypeKind.Error or TypeKind.Dynamic)
                    return null;
                return ReadEventType(eventType, model.Compilation.Assembly);
            }

            /// <summary>
            /// The event type of <c>receiver.Publish(...)</c> from the receiver's and the event's types bound on their
            /// own. Decided with a null type when the receiver is not an <c>IEventBus</c> (another library's Publish);
            /// not decided when a part does not bind on its own.
            /// </summary>
            /// <remarks>
            /// Names are bound at the start of the member that holds the call, where binding needs no method body:
            /// a field, property or primary-constructor parameter binds there to what it binds to in the body. A name
            /// that the member itself declares (a parameter, a local, a lambda parameter) would bind differently in
            /// the body, so it is resolved from its declaration's written type, or left undecided.
            /// </remarks>
            private static (bool Decided, ITypeSymbol? EventType) ReadPublishSiteCheaply(
                SemanticModel model, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
            {
                var member = (MemberAccessExpressionSyntax)invocation.Expression;
                var holder = invocation.FirstAncestorOrSelf<MemberDeclarationSyntax>();
                if (holder is null or BaseTypeDeclarationSyntax or BaseNamespaceDeclarationSyntax or GlobalStatementSyntax)
                    return (false, null);
                var receiver = BindOnItsOwn(model, holder, member.Expression, cancellationToken);
                if (receiver is null)
                    return (false, null);
                if (receiver.TypeKind != TypeKind.Interface || receiver.ToDisplayString(s_display) != KnownNames.EventBus)
                    return (true, null);

                if (member.Name is GenericNameSyntax generic)
                {
                    if (generic.TypeArgumentList.Arguments.Count != 1)
                        return (true, null);
                    var written = BindType(model, holder, generic.TypeArgumentList.Arguments[0]);
                    return written is null ? (false, null) : (true, written);
                }

                var arguments = invocation.ArgumentList.Arguments;
                if (arguments.Count == 0 || arguments[0].NameColon is not null)
                    return (false, null);
                var argument = arguments[0].Expression;
                var type = argument is ObjectCreationExpressionSyntax creation
                    ? BindType(model, holder, creation.Type)
                    : BindOnItsOwn(model, holder, argument, cancellationToken);
                return type is null ? (false, null) : (true, type);
            }

            /// <summary>
            /// The type of <paramref name="expression"/> (a name, <c>this.name</c> or <c>name.name</c>) without binding
            /// the body around it; null when that cannot be told.
            /// </summary>
            private static ITypeSymbol? BindOnItsOwn(SemanticModel model, MemberDeclarationSyntax holder, ExpressionSyntax expression, CancellationToken cancellationToken)
            {
                IdentifierNameSyntax first;
                switch (expression)
                {
                    case IdentifierNameSyntax name:
                        first = name;
                        break;
                    case MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: IdentifierNameSyntax }:
                        return Bound(model.GetSpeculativeTypeInfo(holder.SpanStart, expression, SpeculativeBindingOption.BindAsExpression).Type);
                    case MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax name, Name: IdentifierNameSyntax }:
                        first = name;
                        break;
                    default:
                        return null;
                }

                var declared = DeclaredIn(holder, first.Identifier.ValueText, cancellationToken);
                if (declared is null)
                    return Bound(model.GetSpeculativeTypeInfo(holder.SpanStart, expression, SpeculativeBindingOption.BindAsExpression).Type);
                if (expression != first || declared is not { IsVar: false } written)
                    return null;
                return BindType(model, holder, written);
            }

            private static ITypeSymbol? BindType(SemanticModel model, MemberDeclarationSyntax holder, TypeSyntax type)
                => Bound(model.GetSpeculativeTypeInfo(holder.SpanStart, type, SpeculativeBindingOption.BindAsTypeOrNamespace).Type);

            private static ITypeSymbol? Bound(ITypeSymbol? type) => type is null || type.TypeKind == TypeKind.Error ? null : type;

            /// <summary>
            /// What <paramref name="holder"/> declares under <paramref name="name"/>: null when it declares nothing by
            /// that name (the name binds as at the member's start); the written type when it declares exactly one
            /// parameter or local with a written type; <c>var</c> (undecidable here) otherwise.
            /// </summary>
            private static TypeSyntax? DeclaredIn(MemberDeclarationSyntax holder, string name, CancellationToken cancellationToken)
            {
                TypeSyntax? found = null;
                var count = 0;
                foreach (var token in holder.DescendantTokens())
                {
                    if (!token.IsKind(SyntaxKind.IdentifierToken) || token.ValueText != name)
                        continue;
                    cancellationToken.ThrowIfCancellationRequested();
                    switch (token.Parent)
                    {
                        case ParameterSyntax parameter when parameter.Identifier == token:
                            count++;
                            found = parameter.Type;
                            break;
                        case VariableDeclaratorSyntax declarator when declarator.Identifier == token:
                            count++;
                            found = (declarator.Parent as VariableDeclarationSyntax)?.Type;
                            break;
                        case SingleVariableDesignationSyntax or ForEachStatementSyntax or CatchDeclarationSyntax
                            or TypeParameterSyntax or LocalFunctionStatementSyntax or FromClauseSyntax or LetClauseSyntax
                            or JoinClauseSyntax or QueryContinuationSyntax:
                            count += 2; // declared in a way this reader does not follow
                            break;
                    }
                }
                if (count == 0)
                    return null;
                return count == 1 && found is not null ? found : s_undecidable;
            }

            private static readonly TypeSyntax s_undecidable = SyntaxFactory.IdentifierName("var");

            public static CompilationSpec ReadCompilation(Compilation compilation, CancellationToken cancellationToken)
            {
                var modules = ImmutableArray.CreateBuilder<ReferencedModuleSpec>();
                var transports = ImmutableArray.CreateBuilder<string>();
                var moduleAttribute = compilation.GetTypeByMetadataName(KnownNames.ModuleAttribute);
                var transportAttribute = compilation.GetTypeByMetadataName(KnownNames.TransportAttribute);
                if (moduleAttribute is not null)
                {
                    foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        if (!ReferencesHerald(assembly))
                            continue;
                        foreach (var attribute in assembly.GetAttributes())
                        {
                            if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not INamedTypeSymbol type)
                                continue;
                            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, moduleAttribute))
                                modules.Add(ReadModule(assembly, type));
                            else if (transportAttribute is not null
                                     && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, transportAttribute)
                                     && type.DeclaredAccessibility == Accessibility.Public)
                                transports.Add(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
                        }
                    }
                }
                return new CompilationSpec(
                    compilation.AssemblyName ?? "Assembly",
                    modules.OrderBy(m => m.AssemblyName, System.StringComparer.Ordinal).ToEquatableArray(),
                    transports.Distinct().OrderBy(t => t, System.StringComparer.Ordinal).ToEquatableArray());
            }

            private static bool ReferencesHerald(IAssemblySymbol assembly)
            {
                // Only assemblies built against Herald can carry a module: skip the framework cheaply.
                foreach (var module in assembly.Modules)
                {
                    foreach (var reference in module.ReferencedAssemblies)
                    {
                        if (reference.Name == "Herald")
                            return true;
                    }
                }
                return false;
            }

            private static ReferencedModuleSpec ReadModule(IAssemblySymbol assembly, INamedTypeSymbol moduleType)
            {
                var handlers = new List<ExportedHandlerSpec>();
                foreach (var member in moduleType.GetMembers())
                {
                    if (member is not IMethodSymbol { IsStatic: true, DeclaredAccessibility: Accessibility.Public } method)
                        continue;
                    foreach (var attribute in method.GetAttributes())
                    {
                        if (attribute.AttributeClass?.ToDisplayString(s_display) != KnownNames.HandlerAttribute
                            || attribute.ConstructorArguments.Length != 5
                            || attribute.ConstructorArguments[0].Value is not ITypeSymbol eventType)
                            continue;
                        var spec = ReadEventType(eventType, assembly);
                        if (spec is null)
                            continue;
                        handlers.Add(new ExportedHandlerSpec(
                            spec,
                            method.Name,
                            attribute.ConstructorArguments[3].Value as string ?? method.Name,
                            attribute.ConstructorArguments[1].Value is int order ? order : 0,
                            attribute.ConstructorArguments[2].Value is int index ? index : 0,
                            attribute.ConstructorArguments[4].Value is true));
                    }
                }

                var publishes = new List<EventTypeSpec>();
                foreach (var attribute in moduleType.GetAttributes())
                {
                    if (attribute.AttributeClass?.ToDisplayString(s_display) == KnownNames.PublishesAttribute
                        && attribute.ConstructorArguments.Length == 1
                        && attribute.ConstructorArguments[0].Value is ITypeSymbol published
                        && ReadEventType(published, assembly) is { } spec)
                    {
                        publishes.Add(spec);
                    }
                }

                var hasRegister = moduleType.GetMembers("Register").Any(member => member is IMethodSymbol
                {
                    IsStatic: true,
                    DeclaredAccessibility: Accessibility.Public,
                    Parameters.Length: 0,
                    ReturnsVoid: true,
                });

                return new ReferencedModuleSpec(
                    assembly.Name,
                    moduleType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                    hasRegister,
                    handlers.OrderBy(h => h.SourceIndex).ToEquatableArray(),
                    publishes.ToEquatableArray());
            }

            /// <summary>
            /// The model of an event type; null when generated code in <paramref name="within"/> cannot name it.
            /// </summary>
            public static EventTypeSpec? ReadEventType(ITypeSymbol type, IAssemblySymbol within)
            {
                if (!HandlerShape.CanGeneratedCodeName(type, within))
                    return null;
                var isPublic = HandlerShape.IsPublic(type);

                var assignableTo = new List<string> { type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) };
                for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
                {
                    if (baseType.SpecialType is SpecialType.System_Object or SpecialType.System_ValueType or SpecialType.System_Enum)
                        break;
                    assignableTo.Add(baseType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
                }
                foreach (var @interface in type.AllInterfaces)
                    assignableTo.Add(@interface.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));

                return new EventTypeSpec(
                    type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                    type.ToDisplayString(s_display),
                    assignableTo.ToEquatableArray(),
                    IsExact: type.IsValueType || type.IsSealed,
                    IsValueType: type.IsValueType,
                    IsPublic: isPublic,
                    Durable: ReadDurable(type));
            }

            /// <summary>
            /// The <c>[Event]</c> of <paramref name="type"/>, declared on the type itself (the attribute is not
            /// inherited). Generic types are not durable: one wire name cannot describe every closed type.
            /// </summary>
            private static DurableInfo? ReadDurable(ITypeSymbol type)
            {
                if (type is not INamedTypeSymbol { IsGenericType: false, TypeKind: TypeKind.Class or TypeKind.Struct } named)
                    return null;
                foreach (var attribute in named.GetAttributes())
                {
                    if (attribute.AttributeClass?.ToDisplayString(s_display) != KnownNames.EventAttribute)
                        continue;
                    if (attribute.ConstructorArguments.Length != 1
                        || attribute.ConstructorArguments[0].Value is not string name
                        || string.IsNullOrWhiteSpace(name))
                        return null; // the runtime refuses a blank name

                    var version = 1;
                    var durability = Durability + ".Persisted";
                    foreach (var argument in attribute.NamedArguments)
                    {
                        if (argument.Key == "Version" && argument.Value.Value is int number)
                            version = number;
                        else if (argument.Key == "Durability" && argument.Value.Value is int value)
                            durability = DurabilityExpression(argument.Value.Type, value);
                    }
                    return new DurableInfo(name, version, durability);
                }
                return null;
            }

            private static string DurabilityExpression(ITypeSymbol? enumType, int value)
            {
                if (enumType is not null)
                {
                    foreach (var member in enumType.GetMembers())
                    {
                        if (member is IFieldSymbol { HasConstantValue: true, ConstantValue: int constant } field && constant == value)
                            return Durability + "." + SourceNames.Escape(field.Name);
                    }
                }
                return "(" + Durability + ")" + value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }
}
