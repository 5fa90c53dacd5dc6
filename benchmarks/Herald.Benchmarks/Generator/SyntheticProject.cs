using System.Text;

namespace Herald.Benchmarks.Generator;

/// <summary>
/// The source files of a synthetic application: 500 event types, 1,000 handlers (two per event, in different
/// files, of every supported shape), 500 publish sites, and unrelated service code, spread over 80 files, as an
/// app of that size would be. The same application is written for Herald and for Mediator 3.0.2, so that both
/// generators can be timed on comparable input.
/// </summary>
internal static class SyntheticProject
{
    public const int EventCount = 500;
    public const int HandlerCount = 1000;

    private const int EventFiles = 10;
    private const int HandlerFiles = 40;
    private const int PublisherFiles = 10;
    private const int ServiceFiles = 20;

    /// <summary>The file that the "unrelated edit" replaces: service code, no handler or publish site.</summary>
    public const string UnrelatedFile = "Services/Service7.cs";

    public static IReadOnlyList<(string Path, string Text)> ForHerald()
    {
        var files = new List<(string, string)>();
        AddEvents(files, implements: null, usings: "");
        for (var file = 0; file < HandlerFiles; file++)
            files.Add(($"Handlers/Handlers{file}.cs", HeraldHandlerFile(file)));
        for (var file = 0; file < PublisherFiles; file++)
            files.Add(($"Publishers/Publishers{file}.cs", PublisherFile(file, "using Herald;", "IEventBus bus", "bus.PublishAsync")));
        AddServices(files);
        return files;
    }

    public static IReadOnlyList<(string Path, string Text)> ForMediator()
    {
        var files = new List<(string, string)>();
        AddEvents(files, implements: " : INotification", usings: "using Mediator;\n\n");
        for (var file = 0; file < HandlerFiles; file++)
            files.Add(($"Handlers/Handlers{file}.cs", MediatorHandlerFile(file)));
        for (var file = 0; file < PublisherFiles; file++)
            files.Add(($"Publishers/Publishers{file}.cs", PublisherFile(file, "using Mediator;", "IMediator mediator", "mediator.Publish")));
        files.Add(("Startup.cs", """
            using Mediator;
            using Microsoft.Extensions.DependencyInjection;

            namespace Shop;

            public static class Startup
            {
                public static IServiceCollection AddShop(this IServiceCollection services)
                    => services.AddMediator((MediatorOptions options) => options.ServiceLifetime = ServiceLifetime.Singleton);
            }
            """));
        AddServices(files);
        return files;
    }

    /// <summary>The text of <see cref="UnrelatedFile"/> after an edit: a method body changed, a method added.</summary>
    public static string EditedUnrelatedFile() => ServiceFile(7, edited: true);

    private static void AddEvents(List<(string, string)> files, string? implements, string usings)
    {
        var perFile = EventCount / EventFiles;
        for (var file = 0; file < EventFiles; file++)
        {
            var text = new StringBuilder(usings).Append("namespace Shop.Events;\n\n");
            for (var i = file * perFile; i < (file + 1) * perFile; i++)
                text.Append($"public sealed record Event{i}(int Id, string Name, decimal Amount){implements};\n");
            files.Add(($"Events/Events{file}.cs", text.ToString()));
        }
    }

    /// <summary>
    /// Handler h handles event h % 500, so each event has two handlers, in files 20 apart. Shapes rotate through
    /// static void, instance void, instance ValueTask with a token and instance Task, with a few explicit orders.
    /// </summary>
    private static string HeraldHandlerFile(int file)
    {
        const int perFile = HandlerCount / HandlerFiles;
        const int perClass = 5;
        var text = new StringBuilder("using Herald;\nusing Shop.Events;\n\nnamespace Shop.Handlers;\n");
        for (var first = file * perFile; first < (file + 1) * perFile; first += perClass)
        {
            var isStatic = first / perClass % 4 == 0;
            text.Append('\n').Append(isStatic ? $"public static class Handlers{first}\n{{\n" : $"public sealed class Handlers{first}\n{{\n    private int _seen;\n");
            for (var h = first; h < first + perClass; h++)
            {
                var e = h % EventCount;
                var order = h % 7 == 0 ? "(Order = -1)" : "";
                text.Append($"    [Subscribe{order}]\n");
                text.Append((isStatic, h % 3) switch
                {
                    (true, _) => $"    public static void On{h}(Event{e} e) => System.Console.WriteLine(e.Id);\n",
                    (false, 0) => $"    public void On{h}(Event{e} e) => _seen += e.Id;\n",
                    (false, 1) => $"    public System.Threading.Tasks.ValueTask On{h}(Event{e} e, System.Threading.CancellationToken ct)\n    {{\n        _seen += e.Id;\n        return default;\n    }}\n",
                    _ => $"    public System.Threading.Tasks.Task On{h}(Event{e} e) => System.Threading.Tasks.Task.Delay(e.Id % 3);\n",
                });
            }
            text.Append("}\n");
        }
        return text.ToString();
    }

    /// <summary>Mediator wants a class per handler of a notification: the same 1,000 handlers, one class each.</summary>
    private static string MediatorHandlerFile(int file)
    {
        const int perFile = HandlerCount / HandlerFiles;
        var text = new StringBuilder("using Mediator;\nusing Shop.Events;\n\nnamespace Shop.Handlers;\n");
        for (var h = file * perFile; h < (file + 1) * perFile; h++)
        {
            var e = h % EventCount;
            text.Append($"\npublic sealed class Handler{h} : INotificationHandler<Event{e}>\n{{\n    private int _seen;\n\n");
            text.Append($"    public System.Threading.Tasks.ValueTask Handle(Event{e} e, System.Threading.CancellationToken ct)\n    {{\n        _seen += e.Id;\n        return default;\n    }}\n}}\n");
        }
        return text.ToString();
    }

    private static string PublisherFile(int file, string usings, string parameter, string publish)
    {
        const int perFile = EventCount / PublisherFiles;
        var text = new StringBuilder($"{usings}\nusing Shop.Events;\n\nnamespace Shop.Publishers;\n\npublic sealed class Publisher{file}({parameter})\n{{\n");
        for (var e = file * perFile; e < (file + 1) * perFile; e++)
        {
            text.Append($"    public async System.Threading.Tasks.Task Raise{e}(int id, System.Threading.CancellationToken ct)\n");
            text.Append($"        => await {publish}(new Event{e}(id, \"event {e}\", id * 1.5m), ct);\n");
        }
        return text.Append("}\n").ToString();
    }

    private static void AddServices(List<(string, string)> files)
    {
        for (var file = 0; file < ServiceFiles; file++)
            files.Add(($"Services/Service{file}.cs", ServiceFile(file, edited: false)));
    }

    private static string ServiceFile(int file, bool edited)
    {
        var text = new StringBuilder("namespace Shop.Services;\n\n");
        text.Append($"public sealed class PriceService{file}\n{{\n");
        text.Append("    private readonly System.Collections.Generic.Dictionary<string, decimal> _prices = new();\n\n");
        text.Append("    public void Set(string sku, decimal price) => _prices[sku] = price;\n\n");
        text.Append("    public decimal Total(System.Collections.Generic.IEnumerable<(string Sku, int Quantity)> lines)\n    {\n");
        text.Append("        var total = 0m;\n        foreach (var (sku, quantity) in lines)\n            total += _prices.TryGetValue(sku, out var price) ? price * quantity : 0m;\n");
        text.Append(edited ? "        return decimal.Round(total, 2);\n    }\n" : "        return total;\n    }\n");
        if (edited)
            text.Append("\n    public int Count => _prices.Count;\n");
        for (var method = 0; method < 10; method++)
            text.Append($"\n    public string Describe{method}(string sku) => $\"{{sku}}: {{(_prices.TryGetValue(sku, out var p) ? p : 0m) + {method}}}\";\n");
        return text.Append("}\n").ToString();
    }
}
