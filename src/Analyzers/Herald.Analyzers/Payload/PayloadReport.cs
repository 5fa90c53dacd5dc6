using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Herald.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Herald.Analyzers.Payload
{
    /// <summary>The end of a compilation's payload analysis: which types are events, and what to report on them.</summary>
    internal sealed class PayloadReport
    {
        private readonly KnownSymbols _known;
        private readonly EventUsage _usage;
        private readonly PayloadInspector _inspector;
        private readonly CompilationAnalysisContext _context;
        private readonly GeneratedCode _generated;

        // Keyed by rule, place and message: a base type shared by several events, or a generic event used with
        // several type arguments, reports what they have in common once. The value says whether any is durable.
        private readonly Dictionary<(string Id, Location Location, string Message), Pending> _pending = new();

        public PayloadReport(KnownSymbols known, EventUsage usage, PayloadInspector inspector, CompilationAnalysisContext context)
        {
            _known = known;
            _usage = usage;
            _inspector = inspector;
            _context = context;
            _generated = new GeneratedCode(context.Compilation);
        }

        public void Run()
        {
            var durableHandlerTypes = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
            foreach (var handler in _usage.Handlers)
            {
                if (handler.Consumer is not null)
                    durableHandlerTypes.Add(handler.EventType);
            }

            // Every type whose declared members travel with an event: the events and their base types in source.
            var owners = new Dictionary<INamedTypeSymbol, bool>(SymbolEqualityComparer.Default);
            var events = _usage.AllEvents();
            foreach (var type in events.OrderBy(t => t.ToDisplayString(), System.StringComparer.Ordinal))
            {
                _context.CancellationToken.ThrowIfCancellationRequested();
                if (type is not INamedTypeSymbol eventType || !PayloadInspector.IsInSource(eventType) || eventType.TypeKind == TypeKind.Enum)
                    continue;
                var durable = IsDurable(eventType, durableHandlerTypes);
                var construction = _inspector.ConstructionProblem(eventType);
                if (construction is not null && !_generated.Contains(eventType.OriginalDefinition.Locations[0], _context.CancellationToken))
                    Add(DiagnosticDescriptors.NotSerializableMember, eventType.OriginalDefinition.Locations[0], null, durable,
                        $"'{PayloadInspector.Display(eventType)}'", construction);

                for (INamedTypeSymbol? owner = eventType; owner is not null && PayloadInspector.IsInSource(owner); owner = owner.BaseType)
                {
                    owners[owner] = owners.TryGetValue(owner, out var already) ? already | durable : durable;
                    if (owner.TypeKind == TypeKind.Interface)
                        break;
                }
            }

            foreach (var owner in owners)
            {
                foreach (var finding in _inspector.DeclaredMemberFindings(owner.Key))
                    Add(owner.Key, finding, owner.Value);
            }

            foreach (var pending in _pending.Values)
                _context.ReportDiagnostic(pending.Create());
        }

        private bool IsDurable(INamedTypeSymbol eventType, HashSet<ITypeSymbol> durableHandlerTypes)
        {
            if (_known.EventAttributeOf(eventType) is not null)
                return true;
            foreach (var handled in durableHandlerTypes)
            {
                if (EventUsage.Receives(eventType, handled))
                    return true;
            }
            return false;
        }

        private void Add(INamedTypeSymbol owner, MemberFinding memberFinding, bool durable)
        {
            var member = memberFinding.Member;
            var finding = memberFinding.Finding;
            var location = FirstSourceLocation(member);
            if (location is null || _generated.Contains(location, _context.CancellationToken))
                return;

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
                    Add(DiagnosticDescriptors.RawBinaryMember, location, leaf, durable, properties, path, ownerName, typeText);
                    break;
                case PayloadProblem.DateTime:
                    Add(DiagnosticDescriptors.DateTimeMember, location, leaf, durable, properties, path, ownerName, typeText);
                    break;
                case PayloadProblem.Decimal:
                    if (durable)
                        Add(DiagnosticDescriptors.DecimalOnDurableEvent, location, leaf, durable, properties, path, ownerName, typeText);
                    break;
                case PayloadProblem.NotSerializable:
                    Add(DiagnosticDescriptors.NotSerializableMember, location, leaf, durable, properties, $"'{path}' in '{ownerName}'", finding.Detail);
                    break;
                case PayloadProblem.Mutable:
                    properties = properties.Add(DiagnosticProperties.MutableKind, finding.MutableKind.ToString());
                    if (finding.ReadOnlyReplacement is not null)
                        properties = properties.Add(DiagnosticProperties.ReadOnlyReplacement, finding.ReadOnlyReplacement);
                    Add(DiagnosticDescriptors.MutableEvent, location, leaf, durable, properties, path, ownerName, finding.Detail);
                    break;
            }
        }

        private void Add(DiagnosticDescriptor descriptor, Location location, Location? leaf, bool durable, params string[] arguments)
            => Add(descriptor, location, leaf, durable, ImmutableDictionary<string, string?>.Empty, arguments);

        private void Add(DiagnosticDescriptor descriptor, Location location, Location? leaf, bool durable, ImmutableDictionary<string, string?> properties, params string[] arguments)
        {
            var message = string.Join("\u0001", arguments);
            var key = (descriptor.Id, location, message);
            if (_pending.TryGetValue(key, out var existing))
                existing.Durable |= durable;
            else
                _pending.Add(key, new Pending(descriptor, location, leaf, durable, properties, arguments));
        }

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

        private sealed class Pending
        {
            private readonly DiagnosticDescriptor _descriptor;
            private readonly Location _location;
            private readonly Location? _leaf;
            private readonly ImmutableDictionary<string, string?> _properties;
            private readonly object[] _arguments;

            public Pending(DiagnosticDescriptor descriptor, Location location, Location? leaf, bool durable, ImmutableDictionary<string, string?> properties, object[] arguments)
            {
                _descriptor = descriptor;
                _location = location;
                _leaf = leaf;
                Durable = durable;
                _properties = properties;
                _arguments = arguments;
            }

            public bool Durable { get; set; }

            public Diagnostic Create()
            {
                // HER0003 is an error where the event is written to the log and read back, a warning elsewhere; the
                // .editorconfig severity, when set, overrides both.
                var severity = _descriptor.Id == RuleIdentifiers.NotSerializableMember && !Durable
                    ? DiagnosticSeverity.Warning
                    : _descriptor.DefaultSeverity;
                var additional = _leaf is null ? null : new[] { _leaf };
                return severity == _descriptor.DefaultSeverity
                    ? Diagnostic.Create(_descriptor, _location, additional, _properties, _arguments)
                    : Diagnostic.Create(_descriptor, _location, severity, additional, _properties, _arguments);
            }
        }
    }
}
