using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text;
using Herald.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Herald.Analyzers.Infrastructure
{
    /// <summary>
    /// What the rest of the compilation handles and publishes, as the generator's event index
    /// (<see cref="EventIndex"/>) lists it: how a rule that looks at one document knows that a type declared there is
    /// an event because a file it cannot see handles it, or that a publish reaches an asynchronous handler elsewhere.
    /// </summary>
    /// <remarks>
    /// The index is in the compilation the analyzers see, in the IDE as in the build. Reading it costs a scan of the
    /// compilation's tree list and, when the index changed, one pass over its lines; it is cached per index text, which
    /// stays the same object across edits that do not change what it lists. Deriving the same facts in the analyzer
    /// would mean binding every handler and every publish site of the project again after each keystroke
    /// (benchmarks/README.md, "Analyzer cost", has the figures). In an IDE that runs generators only on save or
    /// build (Visual Studio's "Balanced" mode), what another file adds shows once the generator has run.
    /// </remarks>
    internal sealed class CompilationEvents
    {
        // Keyed by the index's text: a generator driver hands a cached output's text to the next compilation in a new
        // tree, and an IDE keeps the generated document (tree and text) while its content does not change.
        private static readonly ConditionalWeakTable<SourceText, Lookups> s_lookups = new();
        private static readonly Lookups s_empty = new(new Dictionary<string, IndexedEvent>(StringComparer.Ordinal));

        private readonly Compilation _compilation;
        private readonly Lookups _lookups;
        private readonly ConcurrentDictionary<string, ITypeSymbol?> _resolved = new(StringComparer.Ordinal);

        // A type's display string is the analyzers' costliest question of the index: most types are asked about by
        // several rules (is it indexed, what converts to it, does a durable consumer receive it) on one compilation.
        private readonly ConcurrentDictionary<ITypeSymbol, string> _names = new(SymbolEqualityComparer.Default);

        private CompilationEvents(Compilation compilation, Lookups lookups)
        {
            _compilation = compilation;
            _lookups = lookups;
        }

        /// <summary>Whether the compilation carries an index at all (the generator ran).</summary>
        public bool HasIndex => !ReferenceEquals(_lookups, s_empty);

        public IEnumerable<IndexedEvent> All => _lookups.Events.Values;

        public static CompilationEvents Read(Compilation compilation)
        {
            // Generated trees come after the project's own files.
            var trees = ((CSharpCompilation)compilation).SyntaxTrees;
            for (var i = trees.Length - 1; i >= 0; i--)
            {
                if (EventIndex.IsIndexPath(trees[i].FilePath))
                    return new CompilationEvents(compilation, s_lookups.GetValue(trees[i].GetText(), Parse));
            }
            return new CompilationEvents(compilation, s_empty);
        }

        /// <summary>The indexed event named <paramref name="typeName"/> (see <see cref="EventIndex.TypeName"/>); null when there is none.</summary>
        public IndexedEvent? Find(string typeName) => _lookups.Events.TryGetValue(typeName, out var found) ? found : null;

        /// <summary>The indexed constructions of the generic type definition <paramref name="definition"/>.</summary>
        public IReadOnlyList<string> ConstructionsOf(INamedTypeSymbol definition)
            => _lookups.ByDefinition.Count > 0 && _lookups.ByDefinition.TryGetValue(DefinitionKey(NameOf(definition)), out var names) ? names : Array.Empty<string>();

        /// <summary><see cref="EventIndex.TypeName"/> of <paramref name="type"/>, computed once per compilation.</summary>
        public string NameOf(ITypeSymbol type) => _names.GetOrAdd(type, static t => EventIndex.TypeName(t));

        /// <summary>
        /// The indexed events that convert to the type named <paramref name="typeName"/> (a base class or an interface of
        /// theirs), a type of this compilation or a referenced one outside the framework's namespaces.
        /// </summary>
        private IReadOnlyList<string> ConvertingTo(string typeName)
            => _lookups.ConvertingTo.TryGetValue(typeName, out var names) ? names : Array.Empty<string>();

        /// <summary>The indexed events that convert to <paramref name="definition"/> or, when it is generic, to one of its constructions.</summary>
        public IReadOnlyList<string> ConvertingToDefinition(INamedTypeSymbol definition)
        {
            if (_lookups.ConvertingTo.Count == 0)
                return Array.Empty<string>();
            var name = NameOf(definition);
            return ConvertingTo(definition.IsGenericType ? DefinitionKey(name) : name);
        }

        /// <summary>
        /// The names of the types whose handlers receive a value of <paramref name="type"/>: itself, its base classes and
        /// its interfaces, as the generated dispatch table matches them (<see cref="EventIndex.TypeName"/>).
        /// </summary>
        public List<string> ReceivingNames(ITypeSymbol type)
        {
            var names = new List<string> { NameOf(type) };
            for (var baseType = type.BaseType; baseType is not null && baseType.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); baseType = baseType.BaseType)
                names.Add(NameOf(baseType));
            foreach (var @interface in type.AllInterfaces)
                names.Add(NameOf(@interface));
            return names;
        }

        /// <summary>Whether a durable consumer's handler of the compilation receives <paramref name="type"/> (of it, a base class or an interface).</summary>
        public bool IsReceivedByDurableConsumer(ITypeSymbol type)
        {
            if (!_lookups.HasDurableHandlers)
                return false;
            foreach (var name in ReceivingNames(type))
            {
                if (Find(name) is not { } indexed)
                    continue;
                foreach (var handler in indexed.Handlers)
                {
                    if (handler.Kind == IndexedHandlerKind.Durable)
                        return true;
                }
            }
            return false;
        }

        /// <summary>The type an index name stands for, resolved once per compilation.</summary>
        public ITypeSymbol? Resolve(string typeName)
            => _resolved.GetOrAdd(typeName, name => TypeNameResolver.Resolve(_compilation, name));

        private static Lookups Parse(SourceText text)
            => EventIndex.Read(text) is { } events ? new Lookups(events) : s_empty;

        /// <summary>A type name with its type arguments left out: <c>global::A.Box&lt;int&gt;.Item&lt;T&gt;</c> gives <c>global::A.Box&lt;&gt;.Item&lt;&gt;</c>.</summary>
        internal static string DefinitionKey(string typeName)
        {
            if (typeName.IndexOf('<') < 0)
                return typeName;
            var key = new StringBuilder(typeName.Length);
            var depth = 0;
            foreach (var c in typeName)
            {
                if (c == '<')
                {
                    if (depth++ == 0)
                        key.Append(c);
                }
                else if (c == '>')
                {
                    if (--depth == 0)
                        key.Append(c);
                }
                else if (depth == 0)
                {
                    key.Append(c);
                }
            }
            return key.ToString();
        }

        private sealed class Lookups
        {
            public Lookups(Dictionary<string, IndexedEvent> events)
            {
                Events = events;
                foreach (var indexed in events.Values)
                {
                    foreach (var handler in indexed.Handlers)
                        HasDurableHandlers |= handler.Kind == IndexedHandlerKind.Durable;
                    if (indexed.TypeName.IndexOf('<') >= 0)
                        Add(ByDefinition, DefinitionKey(indexed.TypeName), indexed.TypeName);
                    foreach (var target in indexed.ConvertsTo)
                    {
                        // Asked about types declared in source only: framework types (IEquatable<T> of every record)
                        // would make most of the map and never be looked up.
                        if (IsFrameworkName(target))
                            continue;
                        Add(ConvertingTo, target, indexed.TypeName);
                        if (target.IndexOf('<') >= 0)
                            Add(ConvertingTo, DefinitionKey(target), indexed.TypeName);
                    }
                }
            }

            public Dictionary<string, IndexedEvent> Events { get; }

            /// <summary>Whether a durable consumer of the compilation receives any of the events.</summary>
            public bool HasDurableHandlers { get; }

            public Dictionary<string, List<string>> ByDefinition { get; } = new(StringComparer.Ordinal);

            public Dictionary<string, List<string>> ConvertingTo { get; } = new(StringComparer.Ordinal);

            private static bool IsFrameworkName(string typeName)
                => typeName.StartsWith("global::System.", StringComparison.Ordinal) || typeName.StartsWith("global::Microsoft.", StringComparison.Ordinal);

            private static void Add(Dictionary<string, List<string>> map, string key, string value)
            {
                if (!map.TryGetValue(key, out var values))
                    map.Add(key, values = new List<string>());
                // One event's entries arrive together, so a repeat (two constructions of one generic interface) is the last.
                if (values.Count == 0 || values[values.Count - 1] != value)
                    values.Add(value);
            }
        }
    }
}
