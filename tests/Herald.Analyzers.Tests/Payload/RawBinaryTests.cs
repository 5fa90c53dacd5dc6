using Microsoft.CodeAnalysis.Testing;
using static Herald.Analyzers.Tests.Payload.PayloadSources;
using Verify = Herald.Analyzers.Tests.Infrastructure.HeraldAnalyzerTest<Herald.Analyzers.Payload.PayloadAnalyzer>;

namespace Herald.Analyzers.Tests.Payload;

/// <summary>HER0001: an event member is raw binary.</summary>
public sealed class RawBinaryTests
{
    [Fact]
    public async Task ByteArrayAndDateTime_OnRecordWithHandler_AreReported()
    {
        // The "done when": a positional record with a [Subscribe] handler.
        const string source = Usings + """
            public sealed record Upload(string Name, byte[] {|#0:Data|}, DateTime {|#1:At|});

            public static class Uploads
            {
                [Subscribe]
                public static void Store(Upload e) { }
            }
            """;

        await Verify.VerifyAsync(source,
        [
            new DiagnosticResult(DiagnosticDescriptors.RawBinaryMember).WithLocation(0).WithArguments("Data", "Upload", "byte[]"),
            new DiagnosticResult(DiagnosticDescriptors.DateTimeMember).WithLocation(1).WithArguments("At", "Upload", "DateTime"),
        ]);
    }

    [Fact]
    public async Task ByteArrayInNestedRecord_IsReportedOnTheEventsMemberWithItsPath()
    {
        const string source = Usings + """
            public sealed record Attachment(string FileName, byte[] {|#1:Content|});

            public sealed record MailSent(string To, Attachment {|#0:File|});

            public static class Mails
            {
                [Subscribe]
                public static void Archive(MailSent e) { }
            }
            """;

        var expected = new DiagnosticResult(DiagnosticDescriptors.RawBinaryMember)
            .WithLocation(0).WithLocation(1).WithArguments("File.Content", "MailSent", "byte[]");
        await Verify.VerifyAsync(source, [expected]);
    }

    [Fact]
    public async Task ByteArrayInCollectionOfRecords_PathMarksTheElement()
    {
        const string source = Usings + """
            public sealed record Attachment(string FileName, byte[] {|#1:Content|});

            public sealed record MailSent(string To, IReadOnlyList<Attachment> {|#0:Files|});

            public static class Mails
            {
                [Subscribe]
                public static Task Archive(MailSent e, CancellationToken ct) => Task.CompletedTask;
            }
            """;

        var expected = new DiagnosticResult(DiagnosticDescriptors.RawBinaryMember)
            .WithLocation(0).WithLocation(1).WithArguments("Files[].Content", "MailSent", "byte[]");
        await Verify.VerifyAsync(source, [expected]);
    }

    [Fact]
    public async Task EveryRawBinaryShape_IsReported()
    {
        const string source = Usings + """
            public sealed record Blobs(
                Stream {|#0:Body|},
                MemoryStream {|#1:Buffer|},
                Memory<byte> {|#2:Memory|},
                ReadOnlyMemory<byte> {|#3:ReadOnly|},
                ArraySegment<byte> {|#4:Segment|},
                IReadOnlyList<byte> {|#5:List|},
                IEnumerable<byte> {|#6:Sequence|},
                byte[]? {|#7:Optional|},
                byte Flag);

            public static class Store
            {
                [Subscribe]
                public static void Keep(Blobs e) { }
            }
            """;

        string[] types = ["Stream", "MemoryStream", "Memory<byte>", "ReadOnlyMemory<byte>", "ArraySegment<byte>", "IReadOnlyList<byte>", "IEnumerable<byte>", "byte[]?"];
        string[] names = ["Body", "Buffer", "Memory", "ReadOnly", "Segment", "List", "Sequence", "Optional"];
        var expected = types
            .Select((type, i) => new DiagnosticResult(DiagnosticDescriptors.RawBinaryMember).WithLocation(i).WithArguments(names[i], "Blobs", type))
            .ToList();
        // Herald's serializer writes only byte[] and the supported collections of bytes: the other shapes are also HER0003.
        for (var i = 0; i < 5; i++)
            expected.Add(NotCarried(i, names[i], "Blobs", types[i]));
        await Verify.VerifyAsync(source, [.. expected]);
    }

    [Fact]
    public async Task ListOfByte_IsRawBinary_NotAlsoAMutableCollection()
    {
        const string source = Usings + """
            public sealed record Chunk(int Index, List<byte> {|#0:Bytes|});

            public static class Chunks
            {
                [Subscribe]
                public static void Take(Chunk e) { }
            }
            """;

        var expected = new DiagnosticResult(DiagnosticDescriptors.RawBinaryMember).WithLocation(0).WithArguments("Bytes", "Chunk", "List<byte>");
        await Verify.VerifyAsync(source, [expected]);
    }

    [Fact]
    public async Task PublishedEvent_WithoutHandler_IsChecked()
    {
        const string source = Usings + """
            public sealed record Upload(string Name, byte[] {|#0:Data|});

            public static class Uploader
            {
                public static ValueTask Send(IEventBus bus) => bus.PublishAsync(new Upload("a", []));
            }
            """;

        var expected = new DiagnosticResult(DiagnosticDescriptors.RawBinaryMember).WithLocation(0).WithArguments("Data", "Upload", "byte[]");
        await Verify.VerifyAsync(source, [expected]);
    }

    [Fact]
    public async Task NamedEvent_WithoutHandlerOrPublish_IsChecked()
    {
        const string source = Usings + """
            [Event("files.stored")]
            public sealed record FileStored(string Name, byte[] {|#0:Data|});
            """;

        var expected = new DiagnosticResult(DiagnosticDescriptors.RawBinaryMember).WithLocation(0).WithArguments("Data", "FileStored", "byte[]");
        await Verify.VerifyAsync(source, [expected]);
    }

    [Fact]
    public async Task GenericEvent_ReportsTheMemberThatTheTypeArgumentMakesBinary()
    {
        const string source = Usings + """
            public sealed record Envelope<T>(string Id, T {|#0:Payload|});

            public static class Inbox
            {
                [Subscribe]
                public static void Receive(Envelope<byte[]> e) { }

                [Subscribe]
                public static void Receive(Envelope<string> e) { }
            }
            """;

        var expected = new DiagnosticResult(DiagnosticDescriptors.RawBinaryMember).WithLocation(0).WithArguments("Payload", "Envelope<byte[]>", "byte[]");
        await Verify.VerifyAsync(source, [expected]);
    }

    [Fact]
    public async Task StructAndClassEvents_AreChecked()
    {
        const string source = Usings + """
            public readonly record struct Frame(int Index, ReadOnlyMemory<byte> {|#0:Pixels|});

            public struct Sample
            {
                public Sample(byte[] raw) => Raw = raw;

                public byte[] {|#1:Raw|} { get; }
            }

            public sealed class Recording
            {
                public Stream {|#2:Audio|} { get; init; } = Stream.Null;
            }

            public static class Media
            {
                [Subscribe] public static void On(Frame e) { }
                [Subscribe] public static void On(Sample e) { }
                [Subscribe] public static void On(Recording e) { }
            }
            """;

        await Verify.VerifyAsync(source,
        [
            new DiagnosticResult(DiagnosticDescriptors.RawBinaryMember).WithLocation(0).WithArguments("Pixels", "Frame", "ReadOnlyMemory<byte>"),
            new DiagnosticResult(DiagnosticDescriptors.RawBinaryMember).WithLocation(1).WithArguments("Raw", "Sample", "byte[]"),
            new DiagnosticResult(DiagnosticDescriptors.RawBinaryMember).WithLocation(2).WithArguments("Audio", "Recording", "Stream"),
            NotCarried(0, "Pixels", "Frame", "ReadOnlyMemory<byte>"),
            NotCarried(2, "Audio", "Recording", "Stream"),
        ]);
    }

    /// <summary>HER0003 (a warning: these events are inline only) for a byte shape the serializer leaves out.</summary>
    private static DiagnosticResult NotCarried(int location, string member, string owner, string type)
        => new DiagnosticResult(DiagnosticDescriptors.NotSerializableMember)
            .WithLocation(location)
            .WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning)
            .WithArguments($"'{member}' in '{owner}'", $"Herald's serializer cannot carry '{type}'; send the bytes as 'byte[]'");

    [Fact]
    public async Task MemberOfSharedBaseType_IsReportedOnceOnTheBase()
    {
        const string source = Usings + """
            public abstract record FileEvent
            {
                public byte[] {|#0:Data|} { get; init; } = [];
            }

            public sealed record FileSaved(string Name) : FileEvent;

            public sealed record FileDeleted(string Name) : FileEvent;

            public static class Files
            {
                [Subscribe] public static void On(FileSaved e) { }
                [Subscribe] public static void On(FileDeleted e) { }
            }
            """;

        var expected = new DiagnosticResult(DiagnosticDescriptors.RawBinaryMember).WithLocation(0).WithArguments("Data", "FileEvent", "byte[]");
        await Verify.VerifyAsync(source, [expected]);
    }

    [Fact]
    public async Task SelfReferencingEvent_TerminatesAndReportsEachPathOnce()
    {
        const string source = Usings + """
            public sealed record Node(string Name, Node? {|#1:Next|}, byte[] {|#0:Blob|});

            public static class Nodes
            {
                [Subscribe] public static void On(Node e) { }
            }
            """;

        await Verify.VerifyAsync(source,
        [
            new DiagnosticResult(DiagnosticDescriptors.RawBinaryMember).WithLocation(0).WithArguments("Blob", "Node", "byte[]"),
            new DiagnosticResult(DiagnosticDescriptors.RawBinaryMember).WithLocation(1).WithLocation(0).WithArguments("Next.Blob", "Node", "byte[]"),
        ]);
    }

    [Fact]
    public async Task MutuallyRecursiveMemberTypes_AreWalkedToTheEnd()
    {
        // Part and Assembly refer to each other; whichever the walk meets first, the other's binary is found.
        const string source = Usings + """
            public sealed record Part(string Name, Assembly? Parent, byte[] {|#1:Drawing|});

            public sealed record Assembly(string Name, IReadOnlyList<Part> Parts);

            public sealed record PartChanged(Part {|#0:Part|});

            public sealed record AssemblyChanged(Assembly {|#2:Assembly|});

            public static class Catalog
            {
                [Subscribe] public static void On(PartChanged e) { }
                [Subscribe] public static void On(AssemblyChanged e) { }
            }
            """;

        await Verify.VerifyAsync(source,
        [
            new DiagnosticResult(DiagnosticDescriptors.RawBinaryMember).WithLocation(0).WithLocation(1).WithArguments("Part.Drawing", "PartChanged", "byte[]"),
            new DiagnosticResult(DiagnosticDescriptors.RawBinaryMember).WithLocation(2).WithLocation(1).WithArguments("Assembly.Parts[].Drawing", "AssemblyChanged", "byte[]"),
        ]);
    }

    [Fact]
    public async Task TypeThatIsNotAnEvent_IsNotChecked()
    {
        const string source = Usings + """
            public sealed record Thumbnail(string Name, byte[] Data);

            public sealed record ImageStored(string Url, int Width, byte Channel);

            public static class Images
            {
                [Subscribe] public static void On(ImageStored e) { }

                public static Thumbnail Make() => new("t", []);
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task MemberWithJsonIgnore_DoesNotTravel_AndIsNotReported()
    {
        const string source = Usings + """
            public sealed record Upload(string Url)
            {
                [JsonIgnore]
                public byte[] Preview { get; init; } = [];
            }

            public static class Uploads
            {
                [Subscribe] public static void On(Upload e) { }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task EventInGeneratedCode_IsNotReported()
    {
        var test = new Infrastructure.HeraldAnalyzerTest<Herald.Analyzers.Payload.PayloadAnalyzer>();
        test.TestState.Sources.Add(("Upload.g.cs", Usings + "public sealed record Upload(string Name, byte[] Data);"));
        test.TestState.Sources.Add(("Handlers.cs", Usings + "public static class Uploads { [Subscribe] public static void On(Upload e) { } }"));

        await test.RunAsync(CancellationToken.None);
    }
}
