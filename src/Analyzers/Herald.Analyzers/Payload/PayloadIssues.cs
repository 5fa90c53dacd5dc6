using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Herald.Analyzers.Infrastructure;
using Herald.CodeAnalysis;
using Microsoft.CodeAnalysis;

namespace Herald.Analyzers.Payload
{
    /// <summary>
    /// The payload diagnostics of one event type: on the members that it and its base types in source declare, with
    /// the path to the problem, and on the type itself when it cannot be created on reading. The type-level and the
    /// handler-level actions of <see cref="PayloadAnalyzer"/> both take their diagnostics from here, so a problem reads
    /// the same wherever it is shown.
    /// </summary>
    internal sealed class PayloadIssues
    {
        private readonly PayloadInspector _inspector;
        private readonly GeneratedCode _generated;

        public PayloadIssues(PayloadInspector inspector, GeneratedCode generated)
        {
            _inspector = inspector;
            _generated = generated;
        }

        /// <summary>
        /// The issues of <paramref name="eventType"/> that sit on the owners <paramref name="includeOwner"/> accepts:
        /// the event type itself, then its base classes for as long as they are declared in source.
        /// </summary>
        public IEnumerable<PayloadIssue> Of(INamedTypeSymbol eventType, bool durable, Func<INamedTypeSymbol, bool> includeOwner, CancellationToken cancellationToken)
        {
            if (!PayloadInspector.IsInSource(eventType) || eventType.TypeKind is not (TypeKind.Class or TypeKind.Struct or TypeKind.Interface))
                yield break;

            if (includeOwner(eventType) && _inspector.ConstructionProblem(eventType) is { } construction)
            {
                var location = eventType.OriginalDefinition.Locations[0];
                if (!_generated.Contains(location, cancellationToken))
                    yield return Issue(DiagnosticDescriptors.NotSerializableMember, location, null, durable, ImmutableDictionary<string, string?>.Empty, $"'{PayloadInspector.Display(eventType)}'", construction);
            }

            for (INamedTypeSymbol? owner = eventType; owner is not null && PayloadInspector.IsInSource(owner); owner = owner.BaseType)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (includeOwner(owner))
                {
                    foreach (var finding in _inspector.DeclaredMemberFindings(owner))
                    {
                        var issue = Issue(owner, finding, durable, cancellationToken);
                        if (issue is not null)
                            yield return issue;
                    }
                }
                if (owner.TypeKind == TypeKind.Interface)
                    break;
            }
        }

        private PayloadIssue? Issue(INamedTypeSymbol owner, MemberFinding memberFinding, bool durable, CancellationToken cancellationToken)
        {
            var member = memberFinding.Member;
            var finding = memberFinding.Finding;
            var location = FirstSourceLocation(member);
            if (location is null || _generated.Contains(location, cancellationToken))
                return null;

            // What the generic definition declares reads the same for every type argument; what depends on a type
            // argument names the constructed type.
            var ownerName = PayloadInspector.Display(DependsOnTypeArguments(member) ? owner : owner.OriginalDefinition);
            var path = finding.RenderPath();
            // The declaration a fix would change, when it is not the member reported on (a member of a nested type).
            var leaf = finding.Leaf is null || SymbolEqualityComparer.Default.Equals(finding.Leaf, member) ? null : FirstSourceLocation(finding.Leaf);
            var leafType = finding.Leaf is null ? null : PayloadInspector.TypeOf(finding.Leaf);
            var typeText = leafType is null ? finding.Detail : PayloadInspector.Display(leafType);

            var properties = ImmutableDictionary<string, string?>.Empty;
            switch (finding.Problem)
            {
                case PayloadProblem.RawBinary:
                    return Issue(DiagnosticDescriptors.RawBinaryMember, location, leaf, durable, properties, path, ownerName, typeText);
                case PayloadProblem.DateTime:
                    return Issue(DiagnosticDescriptors.DateTimeMember, location, leaf, durable, properties, path, ownerName, typeText);
                case PayloadProblem.Decimal:
                    return durable ? Issue(DiagnosticDescriptors.DecimalOnDurableEvent, location, leaf, durable, properties, path, ownerName, typeText) : null;
                case PayloadProblem.NotSerializable:
                    return Issue(DiagnosticDescriptors.NotSerializableMember, location, leaf, durable, properties, $"'{path}' in '{ownerName}'", finding.Detail);
                case PayloadProblem.Mutable:
                    properties = properties.Add(DiagnosticProperties.MutableKind, finding.MutableKind.ToString());
                    if (finding.ReadOnlyReplacement is not null)
                        properties = properties.Add(DiagnosticProperties.ReadOnlyReplacement, finding.ReadOnlyReplacement);
                    return Issue(DiagnosticDescriptors.MutableEvent, location, leaf, durable, properties, path, ownerName, finding.Detail);
                default:
                    return null;
            }
        }

        private static PayloadIssue Issue(DiagnosticDescriptor descriptor, Location location, Location? leaf, bool durable, ImmutableDictionary<string, string?> properties, params string[] arguments)
            => new(descriptor, location, leaf, durable, properties, arguments);

        private static bool DependsOnTypeArguments(ISymbol member)
        {
            var type = PayloadInspector.TypeOf(member.OriginalDefinition);
            return type is not null && ContainsTypeParameter(type);
        }

        private static bool ContainsTypeParameter(ITypeSymbol type) => type switch
        {
            ITypeParameterSymbol => true,
            IArrayTypeSymbol array => ContainsTypeParameter(array.ElementType),
            INamedTypeSymbol named => named.TypeArguments.Any(ContainsTypeParameter),
            _ => false,
        };

        private static Location? FirstSourceLocation(ISymbol symbol)
        {
            foreach (var location in symbol.Locations)
            {
                if (location.IsInSource)
                    return location;
            }
            return null;
        }
    }
}
