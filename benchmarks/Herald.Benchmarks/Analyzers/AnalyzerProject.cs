using System.Text;

namespace Herald.Benchmarks.Analyzers;

/// <summary>
/// The project that benchmarks/AnalyzerCost/measure.sh builds, file for file: 2,000 event types in 40 files of 50, each
/// a positional record of eight members (shared nested records, an enum, a read-only list) with a <c>[Subscribe]</c>
/// handler and a <c>PublishAsync</c> call in the same file; one in four has an <c>[Event]</c> name, one in ten holds a
/// record of its own with a <c>byte[]</c> and a <c>DateTime</c> (HER0001 and HER0002 on the event's member).
/// </summary>
internal static class AnalyzerProject
{
    public const int EventCount = 2000;
    private const int PerFile = 50;

    /// <summary>The document the benchmark opens and edits: events, handlers and publish sites of 50 events.</summary>
    public const string OpenDocument = "Events20.cs";

    /// <summary>What the analyzers report in <see cref="OpenDocument"/>: five events hold a record with a byte[] and a DateTime.</summary>
    public const int OpenDocumentDiagnostics = 10;

    public static IReadOnlyList<(string Path, string Text)> Files()
    {
        var files = new List<(string, string)>
        {
            ("Shared.cs", """
                namespace Synthetic;

                public sealed record Money(long Cents, string Currency);
                public sealed record Line(string Sku, int Quantity, Money Price);
                public sealed record Address(string Street, string City, string Country);
                public enum Channel { Web, Store, Phone }
                """),
        };
        for (var file = 0; file < EventCount / PerFile; file++)
            files.Add(($"Events{file}.cs", EventFile(file, edit: 0)));
        return files;
    }

    /// <summary><see cref="OpenDocument"/> after the <paramref name="edit"/>th keystroke-sized edit: a literal in a method body changes.</summary>
    public static string EditedOpenDocument(int edit) => EventFile(20, edit);

    private static string EventFile(int file, int edit)
    {
        var text = new StringBuilder("using System;\nusing System.Collections.Generic;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing Herald;\n\nnamespace Synthetic;\n\n");
        var first = file * PerFile;
        for (var i = first; i < first + PerFile; i++)
        {
            var extra = "";
            if (i % 10 == 0)
            {
                text.Append($"public sealed record Detail{i}(string Note, byte[] Scan, DateTime TakenAt);\n");
                extra = $", Detail{i} Detail";
            }
            if (i % 4 == 0)
                text.Append($"[Event(\"synthetic.event-{i}\")]\n");
            text.Append($"public sealed record Event{i}(Guid Id, string Name, int Quantity, DateTimeOffset At, Channel Channel, Money Total, IReadOnlyList<Line> Lines, Address Shipping{extra});\n");
        }
        text.Append($"\npublic static class Handlers{file}\n{{\n");
        for (var i = first; i < first + PerFile; i++)
            text.Append($"    [Subscribe] public static void On(Event{i} e) {{ }}\n");
        text.Append($"}}\n\npublic static class Publishers{file}\n{{\n    public static async Task PublishAll(IEventBus bus, CancellationToken ct)\n    {{\n");
        for (var i = first; i < first + PerFile; i++)
        {
            var detail = i % 10 == 0 ? $", new Detail{i}(\"n\", [], DateTime.UtcNow)" : "";
            var name = i == first && edit > 0 ? $"n{edit}" : "n";
            text.Append($"        await bus.PublishAsync(new Event{i}(Guid.NewGuid(), \"{name}\", 1, DateTimeOffset.UtcNow, Channel.Web, new Money(1, \"EUR\"), [], new Address(\"s\", \"c\", \"x\"){detail}), ct);\n");
        }
        text.Append("    }\n}\n");
        return text.ToString();
    }
}
