using System.Collections.Generic;
using System.Linq;
using System.Text;
using Herald.CodeAnalysis;
using Herald.Generator.Model;

namespace Herald.Generator
{
    public sealed partial class DispatchGenerator
    {
        /// <summary>
        /// Merges the local handlers, the referenced modules' handlers and the published event types into the
        /// ordered table: for each event type, every handler whose parameter type the event converts to, by
        /// <c>Order</c>, then source order (referenced assemblies by name first, then this one by file and position).
        /// </summary>
        internal static class TableBuilder
        {
            public static DispatchTableSpec? Build(
                CompilationSpec compilation,
                EquatableArray<HandlerSpec> allHandlers,
                EquatableArray<EventTypeSpec> published,
                EquatableArray<DurableEventSpec> durableEvents)
            {
                // A durable handler whose event the log cannot store (no usable [Event] name: HER0007) runs nowhere;
                // only the analyzers' event index lists it.
                allHandlers = allHandlers.Where(h => h.IsInline || h.Event.Durable is not null).ToEquatableArray();

                // A module is written when there is anything to dispatch or register: handlers here or in references,
                // durable types declared or published here, or referenced modules whose registration it triggers.
                if (allHandlers.Count == 0
                    && compilation.References.Count == 0
                    && compilation.Transports.Count == 0
                    && durableEvents.Count == 0
                    && !published.Any(t => t.Durable is not null))
                    return null;

                var handlers = allHandlers.Where(h => h.IsInline).ToEquatableArray();

                var candidates = new List<Candidate>();
                foreach (var module in compilation.References)
                {
                    foreach (var exported in module.Handlers)
                    {
                        candidates.Add(new Candidate(
                            exported.Event.TypeName,
                            exported.Order,
                            0,
                            module.AssemblyName,
                            exported.SourceIndex,
                            new HandlerCallSpec(
                                CallKind.Exported,
                                module.TypeName,
                                exported.WrapperName,
                                exported.DisplayName,
                                exported.IsAsync ? HandlerReturn.ValueTask : HandlerReturn.Void,
                                TakesToken: true)));
                    }
                }

                var exports = new List<ExportSpec>();
                for (var index = 0; index < handlers.Count; index++)
                {
                    var handler = handlers[index];
                    var call = new HandlerCallSpec(
                        handler.IsStatic ? CallKind.Static : CallKind.Instance,
                        handler.ContainingTypeName,
                        handler.MethodName,
                        handler.DisplayName,
                        handler.Returns,
                        handler.TakesToken);
                    candidates.Add(new Candidate(handler.Event.TypeName, handler.Order, 1, string.Empty, index, call));
                    if (handler.Event.IsPublic)
                        exports.Add(new ExportSpec(index, handler.Event.TypeName, handler.Order, call));
                }

                // Every type that can reach a dispatcher: handled types and published types, here and in references.
                var eventTypes = new Dictionary<string, EventTypeSpec>();
                void AddType(EventTypeSpec type)
                {
                    if (!eventTypes.ContainsKey(type.TypeName))
                        eventTypes.Add(type.TypeName, type);
                }
                foreach (var handler in handlers)
                    AddType(handler.Event);
                foreach (var type in published)
                    AddType(type);
                // A durable type gets a dispatcher even with no inline handler: its publish appends it to the log.
                foreach (var durable in durableEvents)
                    AddType(durable.Event);
                foreach (var module in compilation.References)
                {
                    foreach (var exported in module.Handlers)
                        AddType(exported.Event);
                    foreach (var type in module.Publishes)
                        AddType(type);
                }

                // Candidates by the type they handle: an event type looks up the few types it converts to instead of
                // testing every handler of the assembly (500 types by 1,000 handlers took 20 ms on a cold run).
                var byType = candidates.ToLookup(c => c.EventTypeName, System.StringComparer.Ordinal);
                var events = new List<EventDispatchSpec>();
                foreach (var type in eventTypes.Values.OrderBy(t => t.TypeName, System.StringComparer.Ordinal))
                {
                    var calls = type.AssignableTo
                        .Distinct(System.StringComparer.Ordinal)
                        .SelectMany(name => byType[name])
                        .OrderBy(c => c.Order)
                        .ThenBy(c => c.Group)
                        .ThenBy(c => c.Source, System.StringComparer.Ordinal)
                        .ThenBy(c => c.Index)
                        .Select(c => c.Call)
                        .ToEquatableArray();
                    if (calls.Count > 0 || type.Durable is not null)
                        events.Add(new EventDispatchSpec(type, calls));
                }

                var publishedExports = published
                    .Where(t => t.IsPublic)
                    .Select(t => t.TypeName)
                    .ToEquatableArray();
                var handlerClasses = allHandlers
                    .Where(h => !h.IsStatic)
                    .Select(h => h.ContainingTypeName)
                    .Distinct()
                    .OrderBy(n => n, System.StringComparer.Ordinal)
                    .ToEquatableArray();

                return new DispatchTableSpec(
                    compilation.AssemblyName,
                    "Herald.Generated." + NamespaceFor(compilation.AssemblyName),
                    compilation.References.Select(m => new ReferencedModuleRef(m.AssemblyName, m.TypeName, m.HasRegister)).ToEquatableArray(),
                    events.ToEquatableArray(),
                    exports.ToEquatableArray(),
                    publishedExports,
                    handlerClasses,
                    durableEvents
                        .Select(d => new DurableEventEntry(d.Event.TypeName, d.Event.Durable!, d.PartitionKey))
                        .ToEquatableArray(),
                    MergeJsonTypes(durableEvents),
                    DurableHandlers(allHandlers),
                    compilation.Transports);
            }

            /// <summary>
            /// The JSON types of every durable event, once each, by name: events that share a type share its helpers.
            /// </summary>
            private static EquatableArray<JsonTypeSpec> MergeJsonTypes(EquatableArray<DurableEventSpec> durableEvents)
            {
                var types = new Dictionary<string, JsonTypeSpec>();
                foreach (var durable in durableEvents)
                {
                    foreach (var type in durable.Types)
                    {
                        if (!types.ContainsKey(type.TypeName))
                            types.Add(type.TypeName, type);
                    }
                }
                return types.Values.OrderBy(t => t.TypeName, System.StringComparer.Ordinal).ToEquatableArray();
            }

            private static EquatableArray<DurableHandlerSpec> DurableHandlers(EquatableArray<HandlerSpec> allHandlers)
            {
                var durable = new List<(HandlerSpec Handler, int Index)>();
                for (var index = 0; index < allHandlers.Count; index++)
                {
                    if (allHandlers[index] is { IsInline: false, Event.Durable: not null } handler)
                        durable.Add((handler, index));
                }
                return durable
                    .OrderBy(d => d.Handler.Consumer, System.StringComparer.Ordinal)
                    .ThenBy(d => d.Handler.Event.Durable!.Name, System.StringComparer.Ordinal)
                    .ThenBy(d => d.Handler.Order)
                    .ThenBy(d => d.Index)
                    .Select(d => new DurableHandlerSpec(
                        d.Handler.Consumer!,
                        d.Handler.Event.Durable!.Name,
                        d.Handler.Event.TypeName,
                        d.Handler.Order,
                        new HandlerCallSpec(
                            d.Handler.IsStatic ? CallKind.Static : CallKind.Instance,
                            d.Handler.ContainingTypeName,
                            d.Handler.MethodName,
                            d.Handler.DisplayName,
                            d.Handler.Returns,
                            d.Handler.TakesToken)))
                    .ToEquatableArray();
            }

            /// <summary>
            /// A namespace made of an assembly name: each dot-separated part becomes an identifier (other characters
            /// become underscores, keywords get an <c>@</c>). When a character had to be replaced, a hash of the exact
            /// name is appended, so that <c>My-App</c> and <c>My_App</c> stay apart.
            /// </summary>
            public static string NamespaceFor(string assemblyName)
            {
                var replaced = false;
                var parts = assemblyName.Split('.');
                for (var i = 0; i < parts.Length; i++)
                {
                    var builder = new StringBuilder(parts[i].Length + 1);
                    foreach (var c in parts[i])
                    {
                        var valid = char.IsLetterOrDigit(c) || c == '_';
                        replaced |= !valid;
                        builder.Append(valid ? c : '_');
                    }
                    // A part named like the module class would make Herald.Generated.X.DispatchTable (the module of
                    // assembly X) and the namespace of assembly X.DispatchTable the same name.
                    if (builder.Length == 0 || char.IsDigit(builder[0]) || builder.ToString() == "DispatchTable")
                    {
                        builder.Insert(0, '_');
                        replaced = true;
                    }
                    parts[i] = builder.ToString();
                }
                if (replaced)
                    parts[parts.Length - 1] += "_" + StableHash(assemblyName).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
                for (var i = 0; i < parts.Length; i++)
                    parts[i] = SourceNames.Escape(parts[i]);
                return string.Join(".", parts);
            }

            /// <summary>FNV-1a: stable across processes and runtimes, unlike string.GetHashCode.</summary>
            private static uint StableHash(string text)
            {
                var hash = 2166136261u;
                foreach (var c in text)
                    hash = unchecked((hash ^ c) * 16777619u);
                return hash;
            }

            private sealed record Candidate(string EventTypeName, int Order, int Group, string Source, int Index, HandlerCallSpec Call);
        }
    }
}
