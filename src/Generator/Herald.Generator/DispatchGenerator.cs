using System.Linq;
using Herald.CodeAnalysis;
using Herald.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Herald.Generator
{
    /// <summary>
    /// Turns the <c>[Subscribe]</c> methods of an assembly, together with the generated modules of the assemblies
    /// it references, into a static dispatch table: one dispatcher per event type that calls the handlers
    /// directly, in order, with no reflection and no lookup per publish. Types declared with <c>[Event]</c> also
    /// get reflection-free JSON (de)serialization, and <c>[Subscribe(Consumer = ...)]</c> methods are listed for
    /// the durable consumers.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed partial class DispatchGenerator : IIncrementalGenerator
    {
        /// <inheritdoc />
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var handlers = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    KnownNames.SubscribeAttribute,
                    static (node, _) => node is MethodDeclarationSyntax,
                    static (attributeContext, cancellationToken) => Parser.ReadHandler(attributeContext, cancellationToken))
                .Where(static handler => handler is not null)
                .Select(static (handler, _) => handler!)
                .WithTrackingName(TrackingNames.Handlers)
                .Collect()
                .Select(static (all, _) => all
                    .OrderBy(h => h.FilePath, System.StringComparer.Ordinal)
                    .ThenBy(h => h.Position)
                    .ToEquatableArray())
                .WithTrackingName(TrackingNames.AllHandlers);

            var sites = context.SyntaxProvider
                .CreateSyntaxProvider(
                    static (node, _) => PublishSiteReader.IsCandidate(node),
                    static (syntaxContext, cancellationToken) => PublishSiteReader.Read(syntaxContext, cancellationToken))
                .Where(static site => site is not null)
                .Select(static (site, _) => site!)
                .WithTrackingName(TrackingNames.PublishSites)
                .Collect();

            var published = sites
                .Select(static (all, _) => all
                    .Select(site => site.Event)
                    .Distinct()
                    .OrderBy(t => t.TypeName, System.StringComparer.Ordinal)
                    .ToEquatableArray())
                .WithTrackingName(TrackingNames.PublishedEvents);

            var interceptable = sites
                .Select(static (all, _) => all
                    .Where(site => site.Location is not null)
                    .OrderBy(site => site.Location!.FilePath, System.StringComparer.Ordinal)
                    .ThenBy(site => site.Location!.Position)
                    .ToEquatableArray())
                .WithTrackingName(TrackingNames.InterceptableSites);

            var interceptorsEnabled = context.ParseOptionsProvider
                .Select(static (options, _) => InterceptorBuilder.IsEnabled(options))
                .WithTrackingName(TrackingNames.InterceptorsEnabled);

            var durableEvents = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    KnownNames.EventAttribute,
                    static (node, _) => node is ClassDeclarationSyntax or StructDeclarationSyntax or RecordDeclarationSyntax,
                    static (attributeContext, cancellationToken) => Parser.ReadDurableEvent(attributeContext, cancellationToken))
                .Where(static type => type is not null)
                .Select(static (type, _) => type!)
                .WithTrackingName(TrackingNames.DurableEvents)
                .Collect()
                .Select(static (all, _) => all
                    .GroupBy(t => t.Event.TypeName, System.StringComparer.Ordinal)
                    .Select(g => g.First())
                    .OrderBy(t => t.Event.TypeName, System.StringComparer.Ordinal)
                    .ToEquatableArray())
                .WithTrackingName(TrackingNames.AllDurableEvents);

            var compilation = context.CompilationProvider
                .Select(static (compilation, cancellationToken) => Parser.ReadCompilation(compilation, cancellationToken))
                .WithTrackingName(TrackingNames.CompilationInfo);

            var table = handlers
                .Combine(published)
                .Combine(durableEvents)
                .Combine(compilation)
                .Select(static (input, _) => TableBuilder.Build(input.Right, input.Left.Left.Left, input.Left.Left.Right, input.Left.Right))
                .WithTrackingName(TrackingNames.Table);

            var interceptors = table
                .Combine(interceptable)
                .Combine(interceptorsEnabled)
                .Select(static (input, _) => InterceptorBuilder.Build(input.Left.Left, input.Left.Right, input.Right))
                .WithTrackingName(TrackingNames.Interceptors);

            context.RegisterSourceOutput(table, static (output, spec) =>
            {
                if (spec is not null)
                    output.AddSource(HintNames.DispatchTable, Emitter.Emit(spec));
            });

            var durableFile = table
                .Select(static (spec, _) => spec is null || spec.DurableEvents.Count == 0
                    ? null
                    : new DurableFileSpec(spec.AssemblyName, spec.ModuleNamespace, spec.DurableEvents, spec.JsonTypes))
                .WithTrackingName(TrackingNames.DurableFile);

            context.RegisterSourceOutput(durableFile, static (output, spec) =>
            {
                if (spec is not null)
                    output.AddSource(HintNames.DurableJson, DurableEmitter.Emit(spec));
            });

            context.RegisterSourceOutput(interceptors, static (output, spec) =>
            {
                if (spec is not null)
                    output.AddSource(HintNames.Interceptors, InterceptorEmitter.Emit(spec));
            });

            // For the analyzers (EventIndex): what the compilation handles, publishes and declares durable, in a file of
            // its own that changes only when that does.
            var index = handlers
                .Combine(published)
                .Combine(durableEvents)
                .Select(static (input, _) => EventIndexWriter.Build(input.Left.Left, input.Left.Right, input.Right))
                .WithTrackingName(TrackingNames.EventIndex);
            context.RegisterSourceOutput(index, static (output, spec) =>
            {
                if (spec is not null)
                    output.AddSource(HintNames.EventIndex, EventIndexWriter.Write(spec));
            });
        }
    }
}
