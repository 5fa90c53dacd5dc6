using Herald.CodeAnalysis;

namespace Herald.Generator.Model
{
    /// <summary>
    /// Everything the emitter writes for one assembly, already merged and ordered: the pipeline's last model.
    /// </summary>
    /// <param name="AssemblyName">The assembly being compiled.</param>
    /// <param name="ModuleNamespace">Namespace of the generated module class.</param>
    /// <param name="ReferencedModules">Referenced modules whose handlers the tables include.</param>
    /// <param name="Events">One entry per event type that has at least one inline handler.</param>
    /// <param name="Exports">This assembly's handlers that referencing assemblies can call.</param>
    /// <param name="PublishedExports">Public event types published here, for referencing assemblies.</param>
    /// <param name="HandlerClasses">Classes with instance handlers (inline or durable), registered in the service
    /// collection.</param>
    /// <param name="DurableEvents">The <c>[Event]</c> types declared in this assembly, by type name.</param>
    /// <param name="JsonTypes">Every type their payloads reach, by type name: one pair of JSON helpers each.</param>
    /// <param name="DurableHandlers">This assembly's durable handlers, by consumer, event, order and source order.</param>
    /// <param name="Transports">Durable transports of referenced assemblies, registered by the module initializer.</param>
    internal sealed record DispatchTableSpec(
        string AssemblyName,
        string ModuleNamespace,
        EquatableArray<ReferencedModuleRef> ReferencedModules,
        EquatableArray<EventDispatchSpec> Events,
        EquatableArray<ExportSpec> Exports,
        EquatableArray<string> PublishedExports,
        EquatableArray<string> HandlerClasses,
        EquatableArray<DurableEventEntry> DurableEvents,
        EquatableArray<JsonTypeSpec> JsonTypes,
        EquatableArray<DurableHandlerSpec> DurableHandlers,
        EquatableArray<string> Transports);

    /// <summary>A referenced module, by assembly name and module class.</summary>
    /// <param name="AssemblyName">The referenced assembly's name.</param>
    /// <param name="TypeName">Its module class, fully qualified with <c>global::</c>.</param>
    /// <param name="HasRegister">Whether the module initializer can call its <c>Register()</c>.</param>
    internal sealed record ReferencedModuleRef(string AssemblyName, string TypeName, bool HasRegister);

    /// <summary>A durable event type declared in this assembly, as its generated <c>DurableEventType</c> needs it.</summary>
    /// <param name="TypeName">Fully qualified with <c>global::</c>; also its key in the JSON types.</param>
    /// <param name="Durable">Its <c>[Event]</c>.</param>
    /// <param name="PartitionKey">The member marked <c>[PartitionKey]</c>; null when there is none.</param>
    internal sealed record DurableEventEntry(string TypeName, DurableInfo Durable, PartitionKeySpec? PartitionKey);

    /// <summary>
    /// One event type, its inline handlers in dispatch order, and (when it has an <c>[Event]</c> name) its durable
    /// append after them.
    /// </summary>
    internal sealed record EventDispatchSpec(EventTypeSpec Event, EquatableArray<HandlerCallSpec> Handlers)
    {
        public DurableInfo? Durable => Event.Durable;

        public bool HasAsyncHandlers
        {
            get
            {
                foreach (var handler in Handlers)
                {
                    if (handler.IsAsync)
                        return true;
                }
                return false;
            }
        }
    }

    /// <summary>How generated code calls a handler.</summary>
    internal enum CallKind
    {
        /// <summary><c>Type.Method(e)</c>.</summary>
        Static,

        /// <summary><c>context.Get&lt;Type&gt;().Method(e)</c>.</summary>
        Instance,

        /// <summary><c>Module.Wrapper(ref context, e, cancellationToken)</c>: a handler of a referenced assembly.</summary>
        Exported,
    }

    /// <summary>One handler call in a dispatch method.</summary>
    internal sealed record HandlerCallSpec(
        CallKind Kind,
        string TypeName,
        string MethodName,
        string DisplayName,
        HandlerReturn Returns,
        bool TakesToken)
    {
        public bool IsAsync => Returns != HandlerReturn.Void;
    }

    /// <summary>
    /// A local handler exported for referencing assemblies as <c>Handler{Index}</c>. Holds only what is written, so
    /// that moving a handler within its file leaves the table unchanged.
    /// </summary>
    internal sealed record ExportSpec(int Index, string EventTypeName, int Order, HandlerCallSpec Call);
}
