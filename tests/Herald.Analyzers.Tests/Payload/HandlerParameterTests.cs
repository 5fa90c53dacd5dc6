using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using static Herald.Analyzers.Tests.Payload.PayloadSources;
using Test = Herald.Analyzers.Tests.Infrastructure.HeraldAnalyzerTest<Herald.Analyzers.Payload.PayloadAnalyzer>;

namespace Herald.Analyzers.Tests.Payload;

/// <summary>
/// A handler whose event is declared in another file shows the event's payload problems on its parameter, pointing at
/// the declaration to change: its author sees them without opening the event.
/// </summary>
public sealed class HandlerParameterTests
{
    [Fact]
    public async Task EventInAnotherFile_IsReportedOnTheHandlersParameter_TooWithTheMemberAsAdditionalLocation()
    {
        var test = new Test();
        test.TestState.Sources.Add(("Events.cs", Usings + "public sealed record Upload(string Name, byte[] {|#0:Data|});"));
        test.TestState.Sources.Add(("Handlers.cs", Usings + """
            public static class Uploads
            {
                [Subscribe] public static void Store({|#1:Upload|} e) { }
            }
            """));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticDescriptors.RawBinaryMember).WithLocation(0).WithArguments("Data", "Upload", "byte[]"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticDescriptors.RawBinaryMember).WithLocation(1).WithLocation(0).WithArguments("Data", "Upload", "byte[]"));

        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task NestedProblem_PointsTheParametersDiagnosticAtTheNestedDeclaration()
    {
        var test = new Test();
        test.TestState.Sources.Add(("Events.cs", Usings + """
            public sealed record Attachment(string FileName, DateTime {|#1:Sent|});

            public sealed record MailSent(string To, Attachment {|#0:File|});
            """));
        test.TestState.Sources.Add(("Handlers.cs", Usings + """
            public static class Mails
            {
                [Subscribe] public static void Archive({|#2:MailSent|} e) { }
            }
            """));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticDescriptors.DateTimeMember).WithLocation(0).WithLocation(1).WithArguments("File.Sent", "MailSent", "DateTime"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticDescriptors.DateTimeMember).WithLocation(2).WithLocation(1).WithArguments("File.Sent", "MailSent", "DateTime"));

        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task DurableConsumersParameter_ReportsTheErrorsOfADurableEvent()
    {
        var test = new Test();
        test.TestState.Sources.Add(("Events.cs", Usings + """
            [Event("jobs.queued")]
            public sealed record JobQueued(string Name, Action {|#0:Callback|}, decimal {|#1:Cost|});
            """));
        test.TestState.Sources.Add(("Worker.cs", Usings + """
            public sealed class Worker
            {
                [Subscribe(Consumer = "worker")]
                public Task Run({|#2:JobQueued|} e, CancellationToken ct) => Task.CompletedTask;
            }
            """));
        const string delegateReason = "a delegate is code, not data; pass the data the handler needs";
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticDescriptors.NotSerializableMember).WithLocation(0).WithArguments("'Callback' in 'JobQueued'", delegateReason));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticDescriptors.DecimalOnDurableEvent).WithLocation(1).WithArguments("Cost", "JobQueued", "decimal"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticDescriptors.NotSerializableMember).WithLocation(2).WithLocation(0).WithArguments("'Callback' in 'JobQueued'", delegateReason));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticDescriptors.DecimalOnDurableEvent).WithLocation(2).WithLocation(1).WithArguments("Cost", "JobQueued", "decimal"));

        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task EventInTheHandlersFile_IsReportedOnItsMembersOnly()
    {
        const string source = Usings + """
            public sealed record Upload(string Name, byte[] {|#0:Data|});

            public static class Uploads
            {
                [Subscribe] public static void Store(Upload e) { }
            }
            """;

        await Test.VerifyAsync(source, [new DiagnosticResult(DiagnosticDescriptors.RawBinaryMember).WithLocation(0).WithArguments("Data", "Upload", "byte[]")]);
    }

    [Fact]
    public async Task InvalidHandler_DoesNotReportItsParameter()
    {
        // Herald does not call it (HER0005 says why), so what its parameter carries is not its concern.
        var test = new Test();
        test.TestState.Sources.Add(("Events.cs", Usings + "public sealed record Upload(string Name, byte[] Data);"));
        test.TestState.Sources.Add(("Handlers.cs", Usings + """
            public static class Uploads
            {
                [Subscribe] private static void Store(Upload e) { }

                public static void Use() => Store(new Upload("a", []));
            }
            """));

        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task BaseTypeMemberInAnotherFile_IsReportedOnTheBaseAndOnTheParameter()
    {
        var test = new Test();
        test.TestState.Sources.Add(("FileEvent.cs", Usings + """
            public abstract record FileEvent
            {
                public Stream {|#0:Content|} { get; init; } = Stream.Null;
            }
            """));
        test.TestState.Sources.Add(("Handlers.cs", Usings + """
            public sealed record FileSaved(string Name) : FileEvent;

            public static class Files
            {
                [Subscribe] public static void On({|#1:FileSaved|} e) { }
            }
            """));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticDescriptors.RawBinaryMember).WithLocation(0).WithArguments("Content", "FileEvent", "Stream"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticDescriptors.NotSerializableMember).WithLocation(0).WithSeverity(DiagnosticSeverity.Warning)
            .WithArguments("'Content' in 'FileEvent'", "Herald's serializer cannot carry 'Stream'; send the bytes as 'byte[]'"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticDescriptors.RawBinaryMember).WithLocation(1).WithLocation(0).WithArguments("Content", "FileEvent", "Stream"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticDescriptors.NotSerializableMember).WithLocation(1).WithLocation(0).WithSeverity(DiagnosticSeverity.Warning)
            .WithArguments("'Content' in 'FileEvent'", "Herald's serializer cannot carry 'Stream'; send the bytes as 'byte[]'"));

        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task GenericEventDeclaredElsewhere_ReportsWhatTheTypeArgumentMakesOfIt()
    {
        var test = new Test();
        test.TestState.Sources.Add(("Envelope.cs", Usings + "public sealed record Envelope<T>(string Id, T {|#0:Payload|});"));
        test.TestState.Sources.Add(("Handlers.cs", Usings + """
            public static class Inbox
            {
                [Subscribe] public static void Receive({|#1:Envelope<byte[]>|} e) { }
                [Subscribe] public static void Receive(Envelope<string> e) { }
            }
            """));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticDescriptors.RawBinaryMember).WithLocation(0).WithArguments("Payload", "Envelope<byte[]>", "byte[]"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticDescriptors.RawBinaryMember).WithLocation(1).WithLocation(0).WithArguments("Payload", "Envelope<byte[]>", "byte[]"));

        await test.RunAsync(CancellationToken.None);
    }
}
