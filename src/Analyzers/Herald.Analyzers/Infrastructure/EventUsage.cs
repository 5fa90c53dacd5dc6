using System.Collections.Concurrent;
using System.Collections.Generic;
using Herald.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Herald.Analyzers.Infrastructure
{
    /// <summary>A <c>[Subscribe]</c> method of the compilation.</summary>
    internal readonly struct SourceHandler
    {
        public SourceHandler(IMethodSymbol method, ITypeSymbol eventType, string? consumer, bool isValid)
        {
            Method = method;
            EventType = eventType;
            Consumer = consumer;
            IsValid = isValid;
        }

        public IMethodSymbol Method { get; }

        public ITypeSymbol EventType { get; }

        /// <summary>The durable consumer name; null for an inline handler.</summary>
        public string? Consumer { get; }

        /// <summary>Whether Herald dispatches it (<see cref="HandlerShape"/> accepts it).</summary>
        public bool IsValid { get; }
    }

    /// <summary>A call of <c>IEventBus.Publish</c> or <c>PublishAsync</c> with a known event type.</summary>
    internal readonly struct PublishCall
    {
        public PublishCall(IInvocationOperation invocation, ITypeSymbol eventType, bool isAsync)
        {
            Invocation = invocation;
            EventType = eventType;
            IsAsync = isAsync;
        }

        public IInvocationOperation Invocation { get; }

        public ITypeSymbol EventType { get; }

        public bool IsAsync { get; }
    }

    /// <summary>
    /// What makes a type an event in this compilation, gathered while the compilation is analyzed: the first
    /// parameter of a <c>[Subscribe]</c> method, the type argument of a <c>Publish</c>/<c>PublishAsync</c> call, or an
    /// <c>[Event]</c> attribute. Read it in a compilation end action.
    /// </summary>
    internal sealed class EventUsage
    {
        private readonly KnownSymbols _known;
        private readonly ConcurrentQueue<SourceHandler> _handlers = new();
        private readonly ConcurrentQueue<PublishCall> _publishCalls = new();
        private readonly ConcurrentQueue<INamedTypeSymbol> _namedEvents = new();

        private EventUsage(KnownSymbols known) => _known = known;

        public IEnumerable<SourceHandler> Handlers => _handlers;

        public IEnumerable<PublishCall> PublishCalls => _publishCalls;

        /// <summary>Types of the compilation that carry an <c>[Event]</c> attribute.</summary>
        public IEnumerable<INamedTypeSymbol> NamedEvents => _namedEvents;

        /// <summary>Registers the actions that gather the events of the compilation.</summary>
        public static EventUsage Register(CompilationStartAnalysisContext context, KnownSymbols known, bool handlers = true, bool publishCalls = true, bool namedEvents = true)
        {
            var usage = new EventUsage(known);
            if (handlers)
                context.RegisterSymbolAction(usage.OnMethod, SymbolKind.Method);
            if (publishCalls)
                context.RegisterOperationAction(usage.OnInvocation, OperationKind.Invocation);
            if (namedEvents)
                context.RegisterSymbolAction(usage.OnNamedType, SymbolKind.NamedType);
            return usage;
        }

        /// <summary>Every event type the compilation mentions, once each.</summary>
        public HashSet<ITypeSymbol> AllEvents()
        {
            var events = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
            foreach (var handler in _handlers)
                events.Add(handler.EventType);
            foreach (var call in _publishCalls)
                events.Add(call.EventType);
            foreach (var type in _namedEvents)
                events.Add(type);
            return events;
        }

        private void OnMethod(SymbolAnalysisContext context)
        {
            var method = (IMethodSymbol)context.Symbol;
            var subscribe = _known.SubscribeAttributeOf(method);
            if (subscribe is null || method.Parameters.Length == 0)
                return;
            var eventType = method.Parameters[0].Type;
            if (!IsEventCandidate(eventType))
                return;
            var isValid = HandlerShape.TryRead(method, subscribe, out _);
            string? consumer = null;
            foreach (var argument in subscribe.NamedArguments)
            {
                if (argument.Key == "Consumer" && argument.Value.Value is string name)
                    consumer = name;
            }
            _handlers.Enqueue(new SourceHandler(method, eventType, consumer, isValid));
        }

        private void OnInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (!_known.IsPublish(invocation.TargetMethod, out var isAsync))
                return;
            var eventType = invocation.TargetMethod.TypeArguments[0];
            if (IsEventCandidate(eventType))
                _publishCalls.Enqueue(new PublishCall(invocation, eventType, isAsync));
        }

        private void OnNamedType(SymbolAnalysisContext context)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (EventDeclaration.Read(type).IsDeclared)
                _namedEvents.Enqueue(type);
        }

        private static bool IsEventCandidate(ITypeSymbol type)
            => type.TypeKind is not (TypeKind.TypeParameter or TypeKind.Error or TypeKind.Pointer or TypeKind.FunctionPointer or TypeKind.Dynamic)
               && type.SpecialType != SpecialType.System_Object;

        /// <summary>
        /// Whether a handler of <paramref name="handled"/> receives an event whose static type is
        /// <paramref name="published"/>: the same type, a base class or an implemented interface.
        /// </summary>
        public static bool Receives(ITypeSymbol published, ITypeSymbol handled)
        {
            for (var type = published; type is not null; type = type.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(type, handled))
                    return true;
            }
            if (handled.TypeKind == TypeKind.Interface)
            {
                foreach (var @interface in published.AllInterfaces)
                {
                    if (SymbolEqualityComparer.Default.Equals(@interface, handled))
                        return true;
                }
            }
            return false;
        }
    }
}
