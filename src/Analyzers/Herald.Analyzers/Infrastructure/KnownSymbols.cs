using System.Runtime.CompilerServices;
using Herald.CodeAnalysis;
using Microsoft.CodeAnalysis;

namespace Herald.Analyzers.Infrastructure
{
    /// <summary>
    /// The types and members the Herald rules look for, resolved once per compilation and shared by every Herald
    /// analyzer of that compilation. Members are null when the compilation does not reference them.
    /// </summary>
    internal sealed class KnownSymbols
    {
        private static readonly ConditionalWeakTable<Compilation, KnownSymbols> s_cache = new();

        private ReferencedHandlers? _referencedHandlers;
        private CompilationEvents? _events;

        private KnownSymbols(Compilation compilation)
        {
            Compilation = compilation;
            Subscribe = Type(KnownNames.SubscribeAttribute);
            Event = Type(KnownNames.EventAttribute);
            EventBus = Type(KnownNames.EventBus);
            ModuleAttribute = Type(KnownNames.ModuleAttribute);
            if (EventBus is not null)
            {
                foreach (var member in EventBus.GetMembers())
                {
                    if (member is IMethodSymbol { IsGenericMethod: true } method)
                    {
                        if (method.Name == "Publish")
                            Publish = method;
                        else if (method.Name == "PublishAsync")
                            PublishAsync = method;
                    }
                }
            }

            Stream = Type("System.IO.Stream");
            BinaryData = Type("System.BinaryData");
            Memory = Type("System.Memory`1");
            ReadOnlyMemory = Type("System.ReadOnlyMemory`1");

            Enumerable = compilation.GetSpecialType(SpecialType.System_Collections_IEnumerable);
            EnumerableOfT = compilation.GetSpecialType(SpecialType.System_Collections_Generic_IEnumerable_T);
            CollectionOfT = compilation.GetSpecialType(SpecialType.System_Collections_Generic_ICollection_T);
            ListInterfaceOfT = compilation.GetSpecialType(SpecialType.System_Collections_Generic_IList_T);
            NonGenericCollection = Type("System.Collections.ICollection");
            NonGenericList = Type("System.Collections.IList");
            NonGenericDictionary = Type("System.Collections.IDictionary");
            DictionaryInterface = Type("System.Collections.Generic.IDictionary`2");
            ReadOnlyDictionaryInterface = Type("System.Collections.Generic.IReadOnlyDictionary`2");
            SetInterface = Type("System.Collections.Generic.ISet`1");
            List = Type("System.Collections.Generic.List`1");
            Dictionary = Type("System.Collections.Generic.Dictionary`2");
            HashSet = Type("System.Collections.Generic.HashSet`1");
            ObjectModelCollection = Type("System.Collections.ObjectModel.Collection`1");

            INamedTypeSymbol? Type(string metadataName) => compilation.GetTypeByMetadataName(metadataName);
        }

        public Compilation Compilation { get; }

        /// <summary>Whether the compilation references the Herald runtime; no rule runs without it.</summary>
        public bool HasHerald => Subscribe is not null && Event is not null && EventBus is not null;

        public INamedTypeSymbol? Subscribe { get; }
        public INamedTypeSymbol? Event { get; }
        public INamedTypeSymbol? EventBus { get; }
        public IMethodSymbol? Publish { get; }
        public IMethodSymbol? PublishAsync { get; }
        public INamedTypeSymbol? ModuleAttribute { get; }

        public INamedTypeSymbol? Stream { get; }
        public INamedTypeSymbol? BinaryData { get; }
        public INamedTypeSymbol? Memory { get; }
        public INamedTypeSymbol? ReadOnlyMemory { get; }

        public INamedTypeSymbol Enumerable { get; }
        public INamedTypeSymbol EnumerableOfT { get; }
        public INamedTypeSymbol CollectionOfT { get; }
        public INamedTypeSymbol ListInterfaceOfT { get; }
        public INamedTypeSymbol? NonGenericCollection { get; }
        public INamedTypeSymbol? NonGenericList { get; }
        public INamedTypeSymbol? NonGenericDictionary { get; }
        public INamedTypeSymbol? DictionaryInterface { get; }
        public INamedTypeSymbol? ReadOnlyDictionaryInterface { get; }
        public INamedTypeSymbol? SetInterface { get; }
        public INamedTypeSymbol? List { get; }
        public INamedTypeSymbol? Dictionary { get; }
        public INamedTypeSymbol? HashSet { get; }
        public INamedTypeSymbol? ObjectModelCollection { get; }

        /// <summary>Handlers that referenced assemblies export through their generated tables; read on first use.</summary>
        public ReferencedHandlers ReferencedHandlers
            => _referencedHandlers ??= ReferencedHandlers.Read(Compilation, ModuleAttribute);

        /// <summary>What the rest of the compilation handles and publishes (the generator's event index); read on first use.</summary>
        public CompilationEvents Events => _events ??= CompilationEvents.Read(Compilation);

        /// <summary>The symbols of <paramref name="compilation"/>, looked up on the first call only.</summary>
        public static KnownSymbols For(Compilation compilation)
            => s_cache.GetValue(compilation, static c => new KnownSymbols(c));

        public bool IsSubscribe(AttributeData attribute) => Is(attribute.AttributeClass, Subscribe);

        public bool IsEvent(AttributeData attribute) => Is(attribute.AttributeClass, Event);

        /// <summary>Whether <paramref name="method"/> is <c>IEventBus.Publish&lt;T&gt;</c> or <c>PublishAsync&lt;T&gt;</c>.</summary>
        public bool IsPublish(IMethodSymbol method, out bool isAsync)
        {
            isAsync = false;
            if (method.TypeArguments.Length != 1 || method.Name is not ("Publish" or "PublishAsync"))
                return false;
            var definition = method.OriginalDefinition;
            if (Is(definition, Publish))
                return true;
            isAsync = true;
            return Is(definition, PublishAsync);
        }

        /// <summary>The <c>[Subscribe]</c> attribute of <paramref name="method"/>, if it has one.</summary>
        public AttributeData? SubscribeAttributeOf(IMethodSymbol method)
        {
            if (Subscribe is null)
                return null;
            // Partial methods merge the attributes of both parts; only their symbols know where each came from.
            if (!method.DeclaringSyntaxReferences.IsEmpty && method.PartialDefinitionPart is null
                && method.PartialImplementationPart is null && !HasAttributeLists(method))
                return null;
            foreach (var attribute in method.GetAttributes())
            {
                if (IsSubscribe(attribute))
                    return attribute;
            }
            return null;
        }

        private static bool HasAttributeLists(ISymbol symbol)
        {
            foreach (var reference in symbol.DeclaringSyntaxReferences)
            {
                switch (reference.GetSyntax())
                {
                    case Microsoft.CodeAnalysis.CSharp.Syntax.MemberDeclarationSyntax { AttributeLists.Count: > 0 }:
                    case Microsoft.CodeAnalysis.CSharp.Syntax.LocalFunctionStatementSyntax { AttributeLists.Count: > 0 }:
                    case Microsoft.CodeAnalysis.CSharp.Syntax.LambdaExpressionSyntax { AttributeLists.Count: > 0 }:
                        return true;
                }
            }
            return false;
        }

        public static bool Is(ISymbol? symbol, ISymbol? known)
            => known is not null && SymbolEqualityComparer.Default.Equals(symbol, known);
    }
}
