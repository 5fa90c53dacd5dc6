using Herald.CodeAnalysis;

namespace Herald.Generator.Model
{
    /// <summary>An inline handler declared in the assembly being compiled.</summary>
    /// <param name="Event">The handler's parameter type.</param>
    /// <param name="ContainingTypeName">Fully qualified, with <c>global::</c>.</param>
    /// <param name="MethodName">The method's name.</param>
    /// <param name="DisplayName"><c>Namespace.Type.Method</c>.</param>
    /// <param name="IsStatic">A static method (no instance to resolve).</param>
    /// <param name="Returns">What the method returns.</param>
    /// <param name="TakesToken">Whether the method takes a <c>CancellationToken</c>.</param>
    /// <param name="Order">The <c>Order</c> of its <c>[Subscribe]</c>.</param>
    /// <param name="FilePath">The declaring file: with <paramref name="Position"/>, the source order.</param>
    /// <param name="Position">The method's offset in its file.</param>
    /// <param name="Consumer">The durable consumer's name; null for an inline handler.</param>
    internal sealed record HandlerSpec(
        EventTypeSpec Event,
        string ContainingTypeName,
        string MethodName,
        string DisplayName,
        bool IsStatic,
        HandlerReturn Returns,
        bool TakesToken,
        int Order,
        string FilePath,
        int Position,
        string? Consumer)
    {
        public bool IsAsync => Returns != HandlerReturn.Void;

        public bool IsInline => Consumer is null;
    }
}
