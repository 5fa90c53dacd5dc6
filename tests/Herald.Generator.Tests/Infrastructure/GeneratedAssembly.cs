using System.Buffers;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using Herald.Infrastructure;

namespace Herald.Generator.Tests.Infrastructure;

/// <summary>
/// A compilation with its generated table, emitted to memory and loaded into a load context of its own, so that
/// tests run the generated serialization itself. Herald and the framework come from the test's own context (the
/// load context defers to it), so the loaded types derive from the test's <see cref="DurableEventType"/>.
/// </summary>
internal sealed class GeneratedAssembly
{
    private static int s_loaded;

    private GeneratedAssembly(Assembly assembly, GeneratorRun run)
    {
        Assembly = assembly;
        Run = run;
    }

    public Assembly Assembly { get; }

    public GeneratorRun Run { get; }

    /// <summary>
    /// Generates, compiles (no error and no warning allowed) and loads <paramref name="source"/>. Each load gets an
    /// assembly name of its own: the registry keeps one module per name.
    /// </summary>
    public static GeneratedAssembly Load(string source)
    {
        var name = "Sample.Loaded" + Interlocked.Increment(ref s_loaded);
        var run = GeneratorRun.Run(TestCompilation.Create(name, source));
        Assert.Empty(run.CompilationProblems());

        using var image = new MemoryStream();
        var emitted = run.OutputCompilation.Emit(image);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));
        image.Position = 0;
        var assembly = new AssemblyLoadContext(name).LoadFromStream(image);
        return new GeneratedAssembly(assembly, run);
    }

    /// <summary>The generated durable description of the event type named <paramref name="eventName"/>.</summary>
    public DurableEventType DurableType(string eventName)
    {
        var moduleType = Assembly.GetTypes().Single(t => t.IsSubclassOf(typeof(HeraldModule)));
        var module = (HeraldModule)Activator.CreateInstance(moduleType, nonPublic: true)!;
        var create = typeof(HeraldModule).GetMethod("CreateDurableEventTypes", BindingFlags.Instance | BindingFlags.NonPublic)!;
        var types = (DurableEventType[])create.Invoke(module, null)!;
        return Assert.Single(types, t => t.Name == eventName);
    }

    /// <summary>Calls a public static method of a type of the loaded assembly (a sample value, a check).</summary>
    public object? Call(string typeName, string method, params object?[] arguments)
    {
        var type = Assembly.GetType(typeName, throwOnError: true)!;
        return type.GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, arguments);
    }

    /// <summary>Writes <paramref name="value"/> with the generated <c>Write</c>: the payload a publish stores.</summary>
    public static byte[] Write(DurableEventType type, object? value)
    {
        var write = typeof(GeneratedAssembly).GetMethod(nameof(WriteTyped), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type.ClrType);
        try
        {
            return (byte[])write.Invoke(null, [type, value])!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
    }

    /// <summary>The generated <c>GetPartitionKey</c> of <paramref name="value"/>.</summary>
    public static string? PartitionKey(DurableEventType type, object value)
    {
        var method = type.GetType().GetMethod("GetPartitionKey", [type.ClrType])!;
        return (string?)method.Invoke(type, [value]);
    }

    private static byte[] WriteTyped<TEvent>(DurableEventType<TEvent> type, TEvent value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            type.Write(writer, value);
        return buffer.WrittenSpan.ToArray();
    }
}
