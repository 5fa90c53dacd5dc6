using System.Collections.Generic;
using System.Collections.Immutable;
using Herald.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Herald.Analyzers.Payload
{
    /// <summary>
    /// HER0001, HER0002, HER0003, HER0004 and HER0009: what an event carries. An event is the first parameter type of
    /// a <c>[Subscribe]</c> method, the type argument of a <c>Publish</c>/<c>PublishAsync</c> call, or a type with
    /// <c>[Event]</c>; it is durable when it has an <c>[Event]</c> name or a <c>Consumer</c> handler receives it.
    /// Diagnostics go on the members the event (or one of its base types) declares, with the path to the problem.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class PayloadAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.RawBinaryMember,
            DiagnosticDescriptors.DateTimeMember,
            DiagnosticDescriptors.NotSerializableMember,
            DiagnosticDescriptors.MutableEvent,
            DiagnosticDescriptors.DecimalOnDurableEvent);

        /// <inheritdoc />
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(OnCompilationStart);
        }

        private static void OnCompilationStart(CompilationStartAnalysisContext context)
        {
            var known = KnownSymbols.For(context.Compilation);
            if (!known.HasHerald)
                return;
            var usage = EventUsage.Register(context, known);
            var inspector = new PayloadInspector(known);
            context.RegisterCompilationEndAction(end => new PayloadReport(known, usage, inspector, end).Run());
        }
    }
}
