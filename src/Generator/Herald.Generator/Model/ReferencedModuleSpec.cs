using Herald.CodeAnalysis;

namespace Herald.Generator.Model
{
    /// <summary>The generated module of a referenced assembly, read from its metadata.</summary>
    /// <param name="AssemblyName">The referenced assembly's name.</param>
    /// <param name="TypeName">Its module class, fully qualified with <c>global::</c>.</param>
    /// <param name="HasRegister">Whether it has a public static <c>Register()</c> (modules of older generators do not).</param>
    /// <param name="Handlers">The handlers it exports.</param>
    /// <param name="Publishes">The event types it publishes.</param>
    internal sealed record ReferencedModuleSpec(
        string AssemblyName,
        string TypeName,
        bool HasRegister,
        EquatableArray<ExportedHandlerSpec> Handlers,
        EquatableArray<EventTypeSpec> Publishes);

    /// <summary>A handler exported by a referenced module, called through its generated wrapper.</summary>
    internal sealed record ExportedHandlerSpec(
        EventTypeSpec Event,
        string WrapperName,
        string DisplayName,
        int Order,
        int SourceIndex,
        bool IsAsync);

    /// <summary>What the generator needs of the compilation itself: its name and its referenced modules.</summary>
    /// <param name="AssemblyName">The assembly being compiled.</param>
    /// <param name="References">The generated modules of referenced assemblies.</param>
    /// <param name="Transports">Durable transports that referenced assemblies declare with <c>[assembly: HeraldTransport]</c>
    /// (fully qualified type names), registered so that configuration can select them.</param>
    internal sealed record CompilationSpec(string AssemblyName, EquatableArray<ReferencedModuleSpec> References, EquatableArray<string> Transports);
}
