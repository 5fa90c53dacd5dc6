using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading;
using Herald.CodeAnalysis;
using Herald.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Herald.Generator
{
    public sealed partial class DispatchGenerator
    {
        /// <summary>
        /// What the transforms of one compilation would otherwise compute again and again: the model of each event
        /// type (read by both of its handlers and by each of its publish sites), the types that names bind to at the
        /// members of a type declaration (every publish site of a class binds the same <c>bus</c> and <c>ct</c>), and
        /// the runtime types the sites are compared with.
        /// </summary>
        /// <remarks>
        /// The transforms of handlers and publish sites run again for every handler and site of the project on each
        /// edit (Roslyn gives them a new semantic model); their results are cached by the pipeline, their work is not.
        /// Held per compilation in a weak table, so nothing here outlives the compilation or reaches a pipeline model
        /// (the models still hold only names). Transforms may run concurrently: the maps are concurrent.
        /// </remarks>
        internal sealed class CompilationCache
        {
            private static readonly ConditionalWeakTable<Compilation, CompilationCache> s_caches = new();

            private readonly Compilation _compilation;
            private readonly ConcurrentDictionary<ITypeSymbol, EventTypeSpec?> _eventTypes = new(SymbolEqualityComparer.Default);
            private readonly ConcurrentDictionary<BindingKey, ITypeSymbol?> _bindings = new();
            private readonly ConcurrentDictionary<ITypeSymbol, (string TypeName, string DisplayName)> _names = new(SymbolEqualityComparer.Default);
            private INamedTypeSymbol? _eventBus;
            private INamedTypeSymbol? _cancellationToken;
            private bool _knownTypesRead;

            private CompilationCache(Compilation compilation) => _compilation = compilation;

            public static CompilationCache Of(Compilation compilation) => s_caches.GetValue(compilation, static c => new CompilationCache(c));

            /// <summary><see cref="Parser.ReadEventType"/> for code generated into this compilation's assembly, once per type.</summary>
            public EventTypeSpec? EventType(ITypeSymbol type)
            {
                if (_eventTypes.TryGetValue(type, out var spec))
                    return spec;
                spec = Parser.ReadEventType(type, _compilation.Assembly);
                _eventTypes.TryAdd(type, spec);
                return spec;
            }

            /// <summary>A handler class's name as generated code writes it (<c>global::</c>) and as messages show it.</summary>
            public (string TypeName, string DisplayName) Names(ITypeSymbol type)
            {
                if (_names.TryGetValue(type, out var names))
                    return names;
                names = (type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), type.ToDisplayString(s_display));
                _names.TryAdd(type, names);
                return names;
            }

            private static readonly SymbolDisplayFormat s_display = SymbolDisplayFormat.FullyQualifiedFormat
                .WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted);

            /// <summary>What <paramref name="text"/> binds to at the members of the type declared at <paramref name="typeDeclaration"/>.</summary>
            public ITypeSymbol? Binding(SyntaxTree tree, int typeDeclaration, string text, System.Func<ITypeSymbol?> bind)
            {
                var key = new BindingKey(tree, typeDeclaration, text);
                if (_bindings.TryGetValue(key, out var bound))
                    return bound;
                bound = bind();
                _bindings.TryAdd(key, bound);
                return bound;
            }

            public bool IsEventBus(ITypeSymbol type)
            {
                ReadKnownTypes();
                return _eventBus is not null && SymbolEqualityComparer.Default.Equals(type, _eventBus);
            }

            public bool IsCancellationToken(ITypeSymbol type)
            {
                ReadKnownTypes();
                return _cancellationToken is not null && SymbolEqualityComparer.Default.Equals(type, _cancellationToken);
            }

            private void ReadKnownTypes()
            {
                if (Volatile.Read(ref _knownTypesRead))
                    return;
                _eventBus = _compilation.GetTypeByMetadataName(KnownNames.EventBus);
                _cancellationToken = _compilation.GetTypeByMetadataName(KnownNames.CancellationToken);
                Volatile.Write(ref _knownTypesRead, true);
            }

            private readonly struct BindingKey : System.IEquatable<BindingKey>
            {
                private readonly SyntaxTree _tree;
                private readonly int _typeDeclaration;
                private readonly string _text;

                public BindingKey(SyntaxTree tree, int typeDeclaration, string text)
                {
                    _tree = tree;
                    _typeDeclaration = typeDeclaration;
                    _text = text;
                }

                public bool Equals(BindingKey other)
                    => ReferenceEquals(_tree, other._tree) && _typeDeclaration == other._typeDeclaration && _text == other._text;

                public override bool Equals(object? obj) => obj is BindingKey other && Equals(other);

                public override int GetHashCode()
                    => unchecked((RuntimeHelpers.GetHashCode(_tree) * 31 + _typeDeclaration) * 31 + _text.GetHashCode());
            }
        }
    }
}
