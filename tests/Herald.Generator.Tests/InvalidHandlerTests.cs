using Herald.Generator.Tests.Infrastructure;

namespace Herald.Generator.Tests;

/// <summary>
/// Methods marked <c>[Subscribe]</c> that Herald cannot call are left out of the table without failing the
/// generator (the analyzers report them).
/// </summary>
public sealed class InvalidHandlerTests
{
    public static TheoryData<string, string> InvalidHandlers => new()
    {
        { "private method", "public sealed class Owner { [Subscribe] private void Handle(Ping e) { } public void Use() => Handle(new Ping(0)); }" },
        { "protected method", "public class Owner { [Subscribe] protected void Handle(Ping e) { } }" },
        { "generic method", "public sealed class Owner { [Subscribe] public void Handle<T>(Ping e) { } }" },
        { "ref parameter", "public sealed class Owner { [Subscribe] public void Handle(ref Ping e) { } }" },
        { "in parameter", "public sealed class Owner { [Subscribe] public void Handle(in Ping e) { } }" },
        { "async void", "public sealed class Owner { [Subscribe] public async void Handle(Ping e) => await Task.Yield(); }" },
        { "no parameter", "public sealed class Owner { [Subscribe] public void Handle() { } }" },
        { "second parameter not a token", "public sealed class Owner { [Subscribe] public void Handle(Ping e, int attempt) { } }" },
        { "three parameters", "public sealed class Owner { [Subscribe] public void Handle(Ping e, CancellationToken ct, int attempt) { } }" },
        { "returns int", "public sealed class Owner { [Subscribe] public int Handle(Ping e) => 0; }" },
        { "returns Task<T>", "public sealed class Owner { [Subscribe] public Task<int> Handle(Ping e) => Task.FromResult(0); }" },
        { "object parameter", "public sealed class Owner { [Subscribe] public void Handle(object e) { } }" },
        { "generic owner", "public sealed class Owner<T> { [Subscribe] public void Handle(Ping e) { } }" },
        { "abstract owner", "public abstract class Owner { [Subscribe] public void Handle(Ping e) { } }" },
        { "private nested owner", "public sealed class Outer { private sealed class Owner { [Subscribe] public void Handle(Ping e) { } } }" },
        { "struct owner", "public struct Owner { [Subscribe] public void Handle(Ping e) { } }" },
        { "event type the generated code cannot name", "public sealed class Outer { private sealed record Hidden; public sealed class Owner { [Subscribe] internal static void Handle(Hidden e) { } } }" },
    };

    [Theory]
    [MemberData(nameof(InvalidHandlers))]
    public void InvalidHandler_IsIgnoredWithoutOutput(string reason, string declaration)
    {
        var run = GeneratorRun.Run(TestCompilation.Create("Sample.Invalid", Source(declaration)));

        Assert.Null(run.Result.Exception);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.True(run.Result.GeneratedSources.IsEmpty, $"A table was generated for a handler with a {reason}.");
    }

    [Theory]
    [MemberData(nameof(InvalidHandlers))]
    public void InvalidHandler_IsLeftOutNextToValidOnes(string reason, string declaration)
    {
        const string valid = "public static class Valid { [Subscribe] public static void Handle(Ping e) { } }";

        var run = GeneratorRun.Run(TestCompilation.Create("Sample.Invalid", Source(declaration + "\n" + valid)));
        var source = run.GeneratedSource;

        Assert.Contains("global::Sample.Valid.Handle(e)", source, StringComparison.Ordinal);
        Assert.True(source.IndexOf("Owner", StringComparison.Ordinal) < 0, $"A handler with a {reason} is in the table.");
        Assert.DoesNotContain(run.CompilationProblems(), d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void DurableHandler_IsNotDispatchedInline()
    {
        const string durable = """
            public sealed class Indexer { [Subscribe(Consumer = "search-index")] public Task Index(Ping e, CancellationToken ct) => Task.CompletedTask; }
            public static class Valid { [Subscribe] public static void Handle(Ping e) { } }
            """;

        var source = GeneratorRun.Run(TestCompilation.Create("Sample.Durable", Source(durable))).GeneratedSource;

        Assert.DoesNotContain("Indexer", source, StringComparison.Ordinal);
        Assert.Contains("public static void Publish(global::Herald.IEventBus bus, global::Sample.Ping @event)", source, StringComparison.Ordinal);
    }

    private static string Source(string declarations) => $$"""
        using System.Threading;
        using System.Threading.Tasks;
        using Herald;

        namespace Sample;

        public sealed record Ping(int Number);

        {{declarations}}
        """;
}
