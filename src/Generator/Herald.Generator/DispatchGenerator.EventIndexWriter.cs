using System.Collections.Generic;
using System.Linq;
using Herald.CodeAnalysis;
using Herald.Generator.Model;

namespace Herald.Generator
{
    public sealed partial class DispatchGenerator
    {
        /// <summary>
        /// Writes the event index (<see cref="EventIndex"/>) from the handlers, publish sites and durable events the
        /// pipeline already read: the analyzers learn from it, in one document, what the rest of the compilation holds.
        /// </summary>
        internal static class EventIndexWriter
        {
            /// <summary>The index of the compilation; null when it has no handlers, publish sites or durable events.</summary>
            public static EventIndexSpec? Build(EquatableArray<HandlerSpec> handlers, EquatableArray<EventTypeSpec> published, EquatableArray<DurableEventSpec> durable)
            {
                if (handlers.Count == 0 && published.Count == 0 && durable.Count == 0)
                    return null;

                var types = new SortedDictionary<string, Entry>(System.StringComparer.Ordinal);
                Entry EntryOf(EventTypeSpec type)
                {
                    if (!types.TryGetValue(type.TypeName, out var entry))
                        types.Add(type.TypeName, entry = new Entry(type));
                    return entry;
                }
                foreach (var handler in handlers)
                    EntryOf(handler.Event).Handlers.Add(new IndexedHandlerSpec(KindOf(handler), handler.DisplayName));
                foreach (var type in published)
                    EntryOf(type).IsPublished = true;
                foreach (var type in durable)
                    EntryOf(type.Event);

                return new EventIndexSpec(types.Values
                    .Select(entry => new IndexedEventSpec(
                        entry.Type.TypeName,
                        entry.Type.AssignableTo.Skip(1).ToEquatableArray(),
                        entry.Handlers.ToEquatableArray(),
                        entry.IsPublished))
                    .ToEquatableArray());
            }

            public static string Write(EventIndexSpec spec)
                => EventIndex.Write(spec.Events.Select(indexed =>
                {
                    var entry = new IndexedEvent(indexed.TypeName, indexed.ConvertsTo.Items.ToArray()) { IsPublished = indexed.IsPublished };
                    foreach (var handler in indexed.Handlers)
                        entry.Handlers.Add(new IndexedHandler(handler.Kind, handler.DisplayName));
                    return entry;
                }));

            private static IndexedHandlerKind KindOf(HandlerSpec handler)
                => !handler.IsInline ? IndexedHandlerKind.Durable
                    : handler.IsAsync ? IndexedHandlerKind.Async
                    : IndexedHandlerKind.Sync;

            private sealed class Entry
            {
                public Entry(EventTypeSpec type) => Type = type;

                public EventTypeSpec Type { get; }

                public List<IndexedHandlerSpec> Handlers { get; } = new();

                public bool IsPublished { get; set; }
            }
        }
    }
}
