using Herald.CodeAnalysis;

namespace Herald.Generator.Model
{
    /// <summary>The interceptors of an assembly's publish sites: the interceptor emitter's input.</summary>
    /// <param name="AssemblyName">The assembly being compiled.</param>
    /// <param name="ModuleTypeName">Its dispatch table class, fully qualified with <c>global::</c>.</param>
    /// <param name="Interceptors">One interceptor per event type and publish method, in event type order.</param>
    internal sealed record InterceptorsSpec(string AssemblyName, string ModuleTypeName, EquatableArray<InterceptorSpec> Interceptors);

    /// <summary>
    /// The interceptor of every <c>Publish</c> (or every <c>PublishAsync</c>) site of one event type: it calls the
    /// dispatch table's method for the type directly while the table's own dispatcher is the one installed.
    /// </summary>
    /// <param name="EventTypeName">The event type, fully qualified with <c>global::</c>.</param>
    /// <param name="IsValueType">A struct (no null check).</param>
    /// <param name="IsAsync">Intercepts <c>PublishAsync</c> (else <c>Publish</c>).</param>
    /// <param name="DispatcherIndex">The index of the table's dispatcher for the type (<c>DispatcherN</c>).</param>
    /// <param name="Sites">The calls it intercepts, by file and position.</param>
    internal sealed record InterceptorSpec(
        string EventTypeName,
        bool IsValueType,
        bool IsAsync,
        int DispatcherIndex,
        EquatableArray<InterceptableSiteSpec> Sites);
}
