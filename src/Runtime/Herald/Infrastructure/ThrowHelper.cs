using System.Diagnostics.CodeAnalysis;

namespace Herald.Infrastructure;

internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void EventIsNull()
        => throw new ArgumentNullException("event", "A published event cannot be null.");
}
