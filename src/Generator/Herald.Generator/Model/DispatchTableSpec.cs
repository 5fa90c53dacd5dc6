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
    /// <param name="HandlerClasses">Classes with instance handlers, registered in the service collection.</param>
    internal sealed record DispatchTableSpec(
        string AssemblyName,
        string ModuleNamespace,
        EquatableArray<ReferencedModuleRef> ReferencedModules,
        EquatableArray<EventDispatchSpec> Events,
        EquatableArray<ExportSpec> Exports,
        EquatableArray<string> PublishedExports,
        EquatableArray<string> HandlerClasses);

    /// <summary>A referenced module, by assembly name and module class.</summary>
    internal sealed record ReferencedModuleRef(string AssemblyName, string TypeName);

    /// <summary>One event type and its inline handlers in dispatch order.</summary>
    internal sealed record EventDispatchSpec(EventTypeSpec Event, EquatableArray<HandlerCallSpec> Handlers)
    {
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
