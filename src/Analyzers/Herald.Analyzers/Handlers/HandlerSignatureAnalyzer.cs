using System.Collections.Immutable;
using Herald.Analyzers.Infrastructure;
using Herald.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Herald.Analyzers.Handlers
{
    /// <summary>
    /// HER0005: a <c>[Subscribe]</c> method that Herald cannot call. It reports exactly the methods that
    /// <see cref="HandlerShape"/> rejects (the generator leaves those out of the dispatch table), with the reason.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class HandlerSignatureAnalyzer : DiagnosticAnalyzer
    {
        private static readonly SymbolDisplayFormat s_methodDisplay = new(
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
            genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
            memberOptions: SymbolDisplayMemberOptions.IncludeContainingType);

        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(DiagnosticDescriptors.InvalidHandler);

        /// <inheritdoc />
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var known = KnownSymbols.For(start.Compilation);
                if (!known.HasHerald)
                    return;
                start.RegisterSymbolAction(symbol => AnalyzeMethod(symbol.ReportDiagnostic, known, (IMethodSymbol)symbol.Symbol), SymbolKind.Method);

                // Symbol actions skip local functions and lambdas, but [Subscribe] is allowed on them by the compiler.
                start.RegisterSyntaxNodeAction(
                    node => AnalyzeFunction(node, known),
                    SyntaxKind.LocalFunctionStatement,
                    SyntaxKind.ParenthesizedLambdaExpression,
                    SyntaxKind.SimpleLambdaExpression);
            });
        }

        private static void AnalyzeFunction(SyntaxNodeAnalysisContext context, KnownSymbols known)
        {
            var hasAttributes = context.Node switch
            {
                LocalFunctionStatementSyntax local => local.AttributeLists.Count > 0,
                LambdaExpressionSyntax lambda => lambda.AttributeLists.Count > 0,
                _ => false,
            };
            if (!hasAttributes)
                return;
            var symbol = context.Node is LocalFunctionStatementSyntax
                ? context.SemanticModel.GetDeclaredSymbol(context.Node, context.CancellationToken)
                : context.SemanticModel.GetSymbolInfo(context.Node, context.CancellationToken).Symbol;
            if (symbol is IMethodSymbol method)
                AnalyzeMethod(context.ReportDiagnostic, known, method);
        }

        private static void AnalyzeMethod(System.Action<Diagnostic> report, KnownSymbols known, IMethodSymbol method)
        {
            var subscribe = known.SubscribeAttributeOf(method);
            if (subscribe is null)
                return;
            var rejection = HandlerShape.Read(method, subscribe, out _);
            if (rejection == HandlerRejection.None)
                return;

            var location = method.Locations.Length > 0 ? method.Locations[0] : Location.None;
            var properties = ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.HandlerRejection, rejection.ToString());
            report(Diagnostic.Create(DiagnosticDescriptors.InvalidHandler, location, properties, Name(method), Reason(rejection, method)));
        }

        private static string Name(IMethodSymbol method)
            => method.MethodKind is MethodKind.AnonymousFunction ? "lambda" : method.ToDisplayString(s_methodDisplay);

        private static string Reason(HandlerRejection rejection, IMethodSymbol method)
        {
            switch (rejection)
            {
                case HandlerRejection.NotAnOrdinaryMethod:
                    return "only ordinary methods can be handlers, not local functions, lambdas, constructors, operators or accessors";
                case HandlerRejection.GenericMethod:
                    return "a generic method cannot be a handler: the generator must know the event type at compile time; take the event type itself, or one of its base types";
                case HandlerRejection.AbstractMethod:
                    return "an abstract method has no body to call; put [Subscribe] on the implementation";
                case HandlerRejection.ParameterCount:
                    return $"it takes {method.Parameters.Length} parameters; a handler takes (TEvent e) or (TEvent e, CancellationToken ct)";
                case HandlerRejection.ByRefParameter:
                    return "a handler's parameters cannot be ref, in, out or ref readonly; take them by value";
                case HandlerRejection.ParamsParameter:
                    return "a handler's parameters cannot be params; take (TEvent e) or (TEvent e, CancellationToken ct)";
                case HandlerRejection.UnsupportedEventType:
                    return $"'{Display(method.Parameters[0].Type)}' cannot be an event type (type parameters, object, dynamic, pointers and ref structs cannot); take a concrete class, record, struct or interface";
                case HandlerRejection.SecondParameterNotCancellationToken:
                    return $"its second parameter is '{Display(method.Parameters[1].Type)}'; the only second parameter a handler can take is a CancellationToken";
                case HandlerRejection.AsyncVoid:
                    return "it is async void: the publisher could neither await it nor see its failures, which crash the process; return Task";
                case HandlerRejection.UnsupportedReturnType:
                    return $"it returns '{Display(method.ReturnType)}'; a handler returns void, Task or ValueTask";
                case HandlerRejection.NotInAClass:
                    return $"it is declared in {TypeKindName(method.ContainingType)}; handlers live in classes";
                case HandlerRejection.GenericContainingType:
                    return $"'{Display(method.ContainingType)}' is generic, so the generated table cannot name one instantiation; move the handler to a non-generic class";
                case HandlerRejection.InstanceMethodOfStaticOrAbstractClass:
                    return $"an instance handler needs an instance, and '{Display(method.ContainingType)}' is abstract; make the method static or the class concrete";
                case HandlerRejection.InaccessibleContainingType:
                    return "it is declared in a private or protected type that the generated table cannot reach; make the type internal or public";
                case HandlerRejection.InaccessibleMethod:
                    return "it is private or protected, so the generated table cannot call it; make it internal or public";
                case HandlerRejection.UnnameableEventType:
                    return $"the generated table cannot name the event type '{Display(method.Parameters[0].Type)}' (a tuple, or a type that is not public outside its assembly, such as an array or a generic instantiation of an internal type); use a named public type, or a named internal type of this assembly";
                default:
                    return rejection.ToString();
            }
        }

        private static string TypeKindName(INamedTypeSymbol? type) => type?.TypeKind switch
        {
            TypeKind.Struct => $"the struct '{Display(type)}'",
            TypeKind.Interface => $"the interface '{Display(type)}'",
            null => "no type",
            _ => $"'{Display(type)}'",
        };

        private static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
    }
}
