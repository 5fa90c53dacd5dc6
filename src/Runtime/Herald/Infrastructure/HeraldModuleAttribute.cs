using System.ComponentModel;

namespace Herald.Infrastructure;

/// <summary>
/// Names the generated module of an assembly, so that the generator of an assembly that references it can
/// include its handlers at build time (no assembly scanning at run time). Written by the generator.
/// </summary>
/// <param name="moduleType">The generated module class.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class HeraldModuleAttribute(Type moduleType) : Attribute
{
    /// <summary>The generated module class.</summary>
    public Type ModuleType { get; } = moduleType;
}

/// <summary>
/// Marks a generated method that runs one handler of a module, for use by the tables of referencing
/// assemblies. Written by the generator.
/// </summary>
/// <param name="eventType">The handler's parameter type.</param>
/// <param name="order">The handler's <see cref="SubscribeAttribute.Order"/>.</param>
/// <param name="sourceIndex">The handler's position in the module's source order.</param>
/// <param name="name">The handler, as <c>Namespace.Type.Method</c>.</param>
/// <param name="isAsync">Whether the handler returns a task.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class HeraldHandlerAttribute(Type eventType, int order, int sourceIndex, string name, bool isAsync) : Attribute
{
    /// <summary>The handler's parameter type.</summary>
    public Type EventType { get; } = eventType;

    /// <summary>The handler's order.</summary>
    public int Order { get; } = order;

    /// <summary>The handler's position in the module's source order.</summary>
    public int SourceIndex { get; } = sourceIndex;

    /// <summary>The handler, as <c>Namespace.Type.Method</c>.</summary>
    public string Name { get; } = name;

    /// <summary>Whether the handler returns a task.</summary>
    public bool IsAsync { get; } = isAsync;
}

/// <summary>
/// Lists an event type that a module publishes, so that referencing assemblies give it a dispatcher that
/// includes their handlers of its base types. Written by the generator.
/// </summary>
/// <param name="eventType">The published event type.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class HeraldPublishesAttribute(Type eventType) : Attribute
{
    /// <summary>The published event type.</summary>
    public Type EventType { get; } = eventType;
}
