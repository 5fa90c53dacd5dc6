using Herald.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Fix = Herald.Analyzers.Tests.Infrastructure.HeraldCodeFixTest<Herald.Analyzers.Handlers.HandlerSignatureAnalyzer, Herald.Analyzers.CodeFixes.AsyncVoidHandlerCodeFixProvider>;
using Verify = Herald.Analyzers.Tests.Infrastructure.HeraldAnalyzerTest<Herald.Analyzers.Handlers.HandlerSignatureAnalyzer>;

namespace Herald.Analyzers.Tests.Handlers;

/// <summary>
/// HER0005: a <c>[Subscribe]</c> method Herald cannot call. The rule must report exactly what
/// <see cref="HandlerShape"/> rejects, since the generator silently leaves those methods out.
/// </summary>
public sealed class HandlerSignatureTests
{
    private const string Prelude = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Herald;

        public sealed record Ping(int Number);

        """;

    /// <summary>Each declaration holds one handler named Handle that Herald rejects, and the reason it reports.</summary>
    public static TheoryData<string, string, string> InvalidHandlers => new()
    {
        { "public sealed class Owner { [Subscribe] private void {|#0:Handle|}(Ping e) { } public void Use() => Handle(new Ping(0)); }", "Owner.Handle", "it is private or protected, so the generated table cannot call it; make it internal or public" },
        { "public class Owner { [Subscribe] protected void {|#0:Handle|}(Ping e) { } }", "Owner.Handle", "it is private or protected, so the generated table cannot call it; make it internal or public" },
        { "public sealed class Owner { [Subscribe] public void {|#0:Handle|}<T>(Ping e) { } }", "Owner.Handle<T>", "a generic method cannot be a handler: the generator must know the event type at compile time; take the event type itself, or one of its base types" },
        { "public sealed class Owner { [Subscribe] public void {|#0:Handle|}(ref Ping e) { } }", "Owner.Handle", "a handler's parameters cannot be ref, in, out or ref readonly; take them by value" },
        { "public sealed class Owner { [Subscribe] public void {|#0:Handle|}(in Ping e) { } }", "Owner.Handle", "a handler's parameters cannot be ref, in, out or ref readonly; take them by value" },
        { "public sealed class Owner { [Subscribe] public void {|#0:Handle|}(params Ping[] e) { } }", "Owner.Handle", "a handler's parameters cannot be params; take (TEvent e) or (TEvent e, CancellationToken ct)" },
        { "public sealed class Owner { [Subscribe] public async void {|#0:Handle|}(Ping e) => await Task.Yield(); }", "Owner.Handle", "it is async void: the publisher could neither await it nor see its failures, which crash the process; return Task" },
        { "public sealed class Owner { [Subscribe] public void {|#0:Handle|}() { } }", "Owner.Handle", "it takes 0 parameters; a handler takes (TEvent e) or (TEvent e, CancellationToken ct)" },
        { "public sealed class Owner { [Subscribe] public void {|#0:Handle|}(Ping e, int attempt) { } }", "Owner.Handle", "its second parameter is 'int'; the only second parameter a handler can take is a CancellationToken" },
        { "public sealed class Owner { [Subscribe] public void {|#0:Handle|}(Ping e, CancellationToken ct, int attempt) { } }", "Owner.Handle", "it takes 3 parameters; a handler takes (TEvent e) or (TEvent e, CancellationToken ct)" },
        { "public sealed class Owner { [Subscribe] public int {|#0:Handle|}(Ping e) => 0; }", "Owner.Handle", "it returns 'int'; a handler returns void, Task or ValueTask" },
        { "public sealed class Owner { [Subscribe] public Task<int> {|#0:Handle|}(Ping e) => Task.FromResult(0); }", "Owner.Handle", "it returns 'Task<int>'; a handler returns void, Task or ValueTask" },
        { "public sealed class Owner { [Subscribe] public void {|#0:Handle|}(object e) { } }", "Owner.Handle", "'object' cannot be an event type (type parameters, object, dynamic, pointers and ref structs cannot); take a concrete class, record, struct or interface" },
        { "public sealed class Owner<T> { [Subscribe] public void {|#0:Handle|}(Ping e) { } }", "Owner<T>.Handle", "'Owner<T>' is generic, so the generated table cannot name one instantiation; move the handler to a non-generic class" },
        { "public abstract class Owner { [Subscribe] public void {|#0:Handle|}(Ping e) { } }", "Owner.Handle", "an instance handler needs an instance, and 'Owner' is abstract; make the method static or the class concrete" },
        { "public abstract class Owner { [Subscribe] public abstract void {|#0:Handle|}(Ping e); }", "Owner.Handle", "an abstract method has no body to call; put [Subscribe] on the implementation" },
        { "public sealed class Outer { private sealed class Owner { [Subscribe] public void {|#0:Handle|}(Ping e) { } } }", "Outer.Owner.Handle", "it is declared in a private or protected type that the generated table cannot reach; make the type internal or public" },
        { "public struct Owner { [Subscribe] public void {|#0:Handle|}(Ping e) { } }", "Owner.Handle", "it is declared in the struct 'Owner'; handlers live in classes" },
        { "public interface IOwner { [Subscribe] static void {|#0:Handle|}(Ping e) { } }", "IOwner.Handle", "it is declared in the interface 'IOwner'; handlers live in classes" },
        { "public sealed class Owner { [Subscribe] public void {|#0:Handle|}((int, string) e) { } }", "Owner.Handle", "the generated table cannot name the event type '(int, string)' (a tuple, or a type that is not public outside its assembly, such as an array or a generic instantiation of an internal type); use a named public type, or a named internal type of this assembly" },
        { "internal sealed record Hidden; internal sealed class Owner { [Subscribe] public void {|#0:Handle|}(Hidden[] e) { } }", "Owner.Handle", "the generated table cannot name the event type 'Hidden[]' (a tuple, or a type that is not public outside its assembly, such as an array or a generic instantiation of an internal type); use a named public type, or a named internal type of this assembly" },
    };

    [Theory]
    [MemberData(nameof(InvalidHandlers))]
    public async Task InvalidHandler_IsReportedWithItsReason(string declaration, string name, string reason)
    {
        var expected = new DiagnosticResult(DiagnosticDescriptors.InvalidHandler).WithLocation(0).WithArguments(name, reason);
        await Verify.VerifyAsync(Prelude + declaration, [expected]);
    }

    [Fact]
    public async Task ValidHandlers_AreNotReported()
    {
        const string source = Prelude + """
            public interface IAudited { }

            public sealed record Pong(int Number) : IAudited;

            public sealed class Instance
            {
                [Subscribe] public void Sync(Ping e) { }
                [Subscribe(Order = 2)] internal Task WithToken(Ping e, CancellationToken ct) => Task.CompletedTask;
                [Subscribe] public async ValueTask Async(Ping e) => await Task.Yield();
                [Subscribe] public void OfInterface(IAudited e) { }
                [Subscribe] public void OfArray(Ping[] e) { }
                [Subscribe(Consumer = "audit")] public Task Durable(Pong e, CancellationToken ct) => Task.CompletedTask;
            }

            public static class Static
            {
                [Subscribe] public static void Sync(Ping e) { }
                [Subscribe] public static async Task Async(Ping e, CancellationToken ct) => await Task.Delay(1, ct);
            }

            public abstract class Base
            {
                [Subscribe] public static void OnStatic(Ping e) { }
            }

            internal sealed class Outer
            {
                internal sealed class Nested
                {
                    [Subscribe] internal void On(Ping e) { }
                }
            }

            public sealed class NotAHandler
            {
                private void Handle(Ping e) { }
                public async void Fire() => await Task.Yield();
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task SubscribeOnLocalFunctionOrLambda_IsReported()
    {
        const string source = Prelude + """
            public static class Setup
            {
                public static Action<Ping> Run()
                {
                    [Subscribe] static void {|#0:Local|}(Ping e) { }
                    Local(new Ping(1));
                    return {|#1:[Subscribe] (Ping e) => { }|};
                }
            }
            """;

        const string reason = "only ordinary methods can be handlers, not local functions, lambdas, constructors, operators or accessors";
        await Verify.VerifyAsync(source,
        [
            new DiagnosticResult(DiagnosticDescriptors.InvalidHandler).WithLocation(0).WithArguments("Local", reason),
            new DiagnosticResult(DiagnosticDescriptors.InvalidHandler).WithLocation(1).WithArguments("lambda", reason),
        ]);
    }

    [Fact]
    public async Task ReportedMethods_AreExactlyThoseHandlerShapeRejects()
    {
        // Every declaration of both lists in one compilation: the set the analyzer reports must equal the set
        // HandlerShape rejects, method for method.
        var declarations = InvalidHandlers.Select(row => (string)row[0]).Select((d, i) => Rename(d, i)).ToList();
        const string valid = "public static class Valid { [Subscribe] public static void A(Ping e) { } [Subscribe] public static Task B(Ping e, CancellationToken ct) => Task.CompletedTask; }";
        var source = Prelude + valid + "\n" + string.Join("\n", declarations);
        var tree = CSharpSyntaxTree.ParseText(source.Replace("{|#0:", string.Empty).Replace("|}", string.Empty), new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("Shapes", [tree],
            [.. Basic.Reference.Assemblies.Net100.References.All, MetadataReference.CreateFromFile(typeof(IEventBus).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var model = compilation.GetSemanticModel(tree);
        var rejected = tree.GetRoot().DescendantNodes()
            .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>()
            .Select(m => model.GetDeclaredSymbol(m)!)
            .Where(m => m.GetAttributes().FirstOrDefault(a => a.AttributeClass?.Name == "SubscribeAttribute") is { } subscribe
                        && !HandlerShape.TryRead(m, subscribe, out _))
            .Select(m => m.Locations[0].GetLineSpan().StartLinePosition)
            .ToHashSet();

        var reported = (await compilation
                .WithAnalyzers([new Herald.Analyzers.Handlers.HandlerSignatureAnalyzer()])
                .GetAnalyzerDiagnosticsAsync(CancellationToken.None))
            .Where(d => d.Id == RuleIdentifiers.InvalidHandler)
            .Select(d => d.Location.GetLineSpan().StartLinePosition)
            .ToHashSet();

        Assert.Equal(declarations.Count, rejected.Count);
        Assert.Equal(rejected.OrderBy(p => p), reported.OrderBy(p => p));
    }

    /// <summary>Gives the types of one declaration unique names, so that all declarations fit in one compilation.</summary>
    private static string Rename(string declaration, int index)
        => declaration
            .Replace("Owner", "Owner" + index, StringComparison.Ordinal)
            .Replace("Outer", "Outer" + index, StringComparison.Ordinal)
            .Replace("Hidden", "Hidden" + index, StringComparison.Ordinal);

    [Fact]
    public async Task Fix_AsyncVoidBecomesAsyncTask()
    {
        const string source = Prelude + """
            public sealed class Mailer
            {
                [Subscribe]
                public async void {|HER0005:Send|}(Ping e) => await Task.Yield();

                [Subscribe]
                public static async void {|HER0005:Log|}(Ping e, CancellationToken ct)
                {
                    await Task.Delay(1, ct);
                }
            }
            """;
        const string fixedSource = Prelude + """
            public sealed class Mailer
            {
                [Subscribe]
                public async Task Send(Ping e) => await Task.Yield();

                [Subscribe]
                public static async Task Log(Ping e, CancellationToken ct)
                {
                    await Task.Delay(1, ct);
                }
            }
            """;

        await Fix.VerifyAsync(source, fixedSource);
    }

    [Fact]
    public async Task Fix_AddsTheTasksUsing()
    {
        const string source = """
            using Herald;

            public sealed record Ping(int Number);

            public sealed class Mailer
            {
                [Subscribe]
                public async void {|HER0005:Send|}(Ping e) => await System.Threading.Tasks.Task.Yield();
            }
            """;
        const string fixedSource = """
            using System.Threading.Tasks;
            using Herald;

            public sealed record Ping(int Number);

            public sealed class Mailer
            {
                [Subscribe]
                public async Task Send(Ping e) => await System.Threading.Tasks.Task.Yield();
            }
            """;

        await Fix.VerifyAsync(source, fixedSource);
    }

    [Fact]
    public async Task Fix_IsNotOffered_ForOtherReasons_OrWhereTheMethodIsUsedAsAVoidDelegate()
    {
        const string source = Prelude + """
            public sealed class Mailer
            {
                [Subscribe]
                public async void {|HER0005:Send|}(Ping e) => await Task.Yield();

                [Subscribe]
                private void {|HER0005:Log|}(Ping e) { }

                public Action<Ping> AsCallback() => Send;

                public void Use() => Log(new Ping(1));
            }
            """;

        await Fix.VerifyAsync(source, source);
    }
}
