using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Herald.CodeAnalysis;
using Herald.Generator.Model;
using Microsoft.CodeAnalysis;

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

                var cache = CompilationCache.Of(context.SemanticModel.Compilation);
                var eventType = cache.EventType(shape.EventType);
                if (eventType is null)
                    return null;

                var owner = cache.Names(method.ContainingType);
                return new HandlerSpec(
                    eventType,
                    owner.TypeName,
                    SourceNames.Escape(method.Name),
                    owner.DisplayName + "." + method.Name,
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
                var eventType = CompilationCache.Of(context.SemanticModel.Compilation).EventType(type);
                if (eventType?.Durable is null)
                    return null;
                cancellationToken.ThrowIfCancellationRequested();

                var payload = new PayloadReader(within, cancellationToken);
                payload.DescribeRoot(type);
                return new DurableEventSpec(eventType, payload.Types, PayloadReader.ReadPartitionKey(type));
            }

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
                foreach (var export in HandlerExport.Of(moduleType))
                {
                    var spec = ReadEventType(export.EventType, assembly);
                    if (spec is not null)
                        handlers.Add(new ExportedHandlerSpec(spec, export.Wrapper.Name, export.Name, export.Order, export.SourceIndex, export.IsAsync));
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

                var assignableTo = new List<string> { EventIndex.TypeName(type) };
                for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
                {
                    if (baseType.SpecialType is SpecialType.System_Object or SpecialType.System_ValueType or SpecialType.System_Enum)
                        break;
                    assignableTo.Add(EventIndex.TypeName(baseType));
                }
                foreach (var @interface in type.AllInterfaces)
                    assignableTo.Add(EventIndex.TypeName(@interface));

                return new EventTypeSpec(
                    EventIndex.TypeName(type),
                    type.ToDisplayString(s_display),
                    assignableTo.ToEquatableArray(),
                    IsExact: type.IsValueType || type.IsSealed,
                    IsValueType: type.IsValueType,
                    IsPublic: isPublic,
                    Durable: ReadDurable(type));
            }

            /// <summary>
            /// The <c>[Event]</c> of <paramref name="type"/> when it makes the type durable (see
            /// <see cref="EventDeclaration"/>, which HER0007 reads too): a usable name on a non-generic class or struct.
            /// </summary>
            private static DurableInfo? ReadDurable(ITypeSymbol type)
            {
                var declaration = EventDeclaration.Read(type);
                if (declaration.Status != EventNameStatus.Durable)
                    return null;
                var durability = declaration.Durability.IsNull
                    ? Durability + ".Persisted"
                    : DurabilityExpression(declaration.Durability.Type, (int)declaration.Durability.Value!);
                return new DurableInfo(declaration.Name!, declaration.Version, durability);
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
