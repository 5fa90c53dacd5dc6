using System.Threading;
using Herald.CodeAnalysis;
using Herald.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Herald.Generator
{
    public sealed partial class DispatchGenerator
    {
        /// <summary>
        /// Reads <c>IEventBus.Publish</c>/<c>PublishAsync</c> call sites: the event type each publishes (so that a type
        /// only a base type's handlers receive gets its own table entry) and, for a call that an interceptor can bind to
        /// the typed path, its interceptable location.
        /// </summary>
        internal static class PublishSiteReader
        {
            private const string Publish = "Publish";
            private const string PublishAsync = "PublishAsync";

            private static readonly SymbolDisplayFormat s_display = SymbolDisplayFormat.FullyQualifiedFormat
                .WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted);

            public static bool IsCandidate(SyntaxNode node)
                => node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member }
                   && member.Name.Identifier.ValueText is Publish or PublishAsync;

            /// <remarks>
            /// This step runs again for every publish site of the project whenever the compilation changes (any edit),
            /// so it binds as little as it can: the receiver and the event's type, speculatively, where the call is.
            /// Binding the call itself would bind the whole method body around it; that made this step cost about a
            /// millisecond per site on every keystroke. Only a site whose parts do not bind on their own (a
            /// <c>var</c> local as receiver, an argument that is a computed expression) is bound in full. The
            /// interceptable location is read from syntax and the file's checksum, which its text caches.
            /// </remarks>
            public static PublishSiteSpec? Read(GeneratorSyntaxContext context, CancellationToken cancellationToken)
            {
                var invocation = (InvocationExpressionSyntax)context.Node;
                var model = context.SemanticModel;
                var site = ReadCheaply(model, invocation, cancellationToken);
                if (!site.Decided)
                    site = ReadBound(model, invocation, cancellationToken);
                if (site.EventType is not { } eventType || eventType.TypeKind is TypeKind.TypeParameter or TypeKind.Error or TypeKind.Dynamic)
                    return null; // not Herald's publish, or generic code: the per-event slot resolves it at run time
                var spec = CompilationCache.Of(model.Compilation).EventType(eventType);
                if (spec is null)
                    return null;
                var isAsync = ((MemberAccessExpressionSyntax)invocation.Expression).Name.Identifier.ValueText == PublishAsync;
                return new PublishSiteSpec(spec, isAsync, site.Interceptable ? Locate(model, invocation, cancellationToken) : null);
            }

            private static InterceptableSiteSpec? Locate(SemanticModel model, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
            {
                var location = model.GetInterceptableLocation(invocation, cancellationToken);
                return location is null
                    ? null
                    : new InterceptableSiteSpec(location.Version, location.Data, location.GetDisplayLocation(), invocation.SyntaxTree.FilePath, invocation.SpanStart);
            }

            /// <summary>
            /// The event type of <c>receiver.Publish(...)</c> from the receiver's and the event's types bound on their
            /// own. Decided with a null type when the receiver is not an <c>IEventBus</c> (another library's Publish);
            /// not decided when a part does not bind on its own.
            /// </summary>
            /// <remarks>
            /// Names are bound at the start of the member that holds the call, where binding needs no method body:
            /// a field, property or primary-constructor parameter binds there to what it binds to in the body. A name
            /// that the member itself declares (a parameter, a local, a lambda parameter) would bind differently in
            /// the body, so it is resolved from its declaration's written type, or left undecided.
            /// </remarks>
            private static Site ReadCheaply(SemanticModel model, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
            {
                var member = (MemberAccessExpressionSyntax)invocation.Expression;
                var holder = invocation.FirstAncestorOrSelf<MemberDeclarationSyntax>();
                if (holder is null or BaseTypeDeclarationSyntax or BaseNamespaceDeclarationSyntax or GlobalStatementSyntax)
                    return Site.Undecided;
                var cache = CompilationCache.Of(model.Compilation);
                var receiver = BindOnItsOwn(model, holder, member.Expression, cancellationToken);
                if (receiver is null)
                    return Site.Undecided;
                if (!cache.IsEventBus(receiver))
                    return Site.NotHerald;

                var arguments = invocation.ArgumentList.Arguments;
                if (member.Name is GenericNameSyntax generic)
                {
                    if (generic.TypeArgumentList.Arguments.Count != 1)
                        return Site.NotHerald;
                    var written = BindType(model, holder, generic.TypeArgumentList.Arguments[0]);
                    return written is null ? Site.Undecided : new Site(true, written, IsHeraldsArity(model, holder, member, arguments, cancellationToken));
                }

                if (arguments.Count == 0 || arguments[0].NameColon is not null)
                    return Site.Undecided;
                var argument = arguments[0].Expression;
                var type = argument is ObjectCreationExpressionSyntax creation
                    ? BindType(model, holder, creation.Type)
                    : BindOnItsOwn(model, holder, argument, cancellationToken);
                return type is null ? Site.Undecided : new Site(true, type, IsHeraldsArity(model, holder, member, arguments, cancellationToken));
            }

            /// <summary>
            /// Whether the call certainly binds to <c>IEventBus.Publish&lt;T&gt;(T)</c> or
            /// <c>PublishAsync&lt;T&gt;(T, CancellationToken)</c>, so that an interceptor of that signature fits it: the
            /// instance method wins over any extension method that it is applicable for, which it is with one positional
            /// argument, or (PublishAsync) a second one that is a <c>CancellationToken</c> or <c>default</c>.
            /// </summary>
            private static bool IsHeraldsArity(
                SemanticModel model, MemberDeclarationSyntax holder, MemberAccessExpressionSyntax member,
                SeparatedSyntaxList<ArgumentSyntax> arguments, CancellationToken cancellationToken)
            {
                foreach (var argument in arguments)
                {
                    if (argument.NameColon is not null || !argument.RefKindKeyword.IsKind(SyntaxKind.None))
                        return false;
                }
                if (arguments.Count == 1)
                    return true;
                if (arguments.Count != 2 || member.Name.Identifier.ValueText != PublishAsync)
                    return false;
                var token = arguments[1].Expression;
                if (token.IsKind(SyntaxKind.DefaultLiteralExpression))
                    return true;
                return BindOnItsOwn(model, holder, token, cancellationToken) is { } type
                       && CompilationCache.Of(model.Compilation).IsCancellationToken(type);
            }

            /// <summary>The site read by binding the call: for the shapes <see cref="ReadCheaply"/> leaves undecided.</summary>
            private static Site ReadBound(SemanticModel model, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
            {
                if (model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method
                    || method.TypeArguments.Length != 1
                    || method.ContainingType is null
                    || method.ContainingType.ToDisplayString(s_display) != KnownNames.EventBus)
                    return Site.NotHerald;
                // The receiver's type must be IEventBus itself for the interceptor's `this IEventBus` parameter.
                var receiver = model.GetTypeInfo(((MemberAccessExpressionSyntax)invocation.Expression).Expression, cancellationToken).Type;
                var interceptable = receiver is not null && receiver.TypeKind == TypeKind.Interface && receiver.ToDisplayString(s_display) == KnownNames.EventBus;
                return new Site(true, method.TypeArguments[0], interceptable);
            }

            /// <summary>
            /// The type of <paramref name="expression"/> (a name, <c>this.name</c> or <c>name.name</c>) without binding
            /// the body around it; null when that cannot be told.
            /// </summary>
            private static ITypeSymbol? BindOnItsOwn(SemanticModel model, MemberDeclarationSyntax holder, ExpressionSyntax expression, CancellationToken cancellationToken)
            {
                IdentifierNameSyntax first;
                switch (expression)
                {
                    case IdentifierNameSyntax name:
                        first = name;
                        break;
                    case MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: IdentifierNameSyntax }:
                        return BindAtMemberStart(model, holder, expression, SpeculativeBindingOption.BindAsExpression);
                    case MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax name, Name: IdentifierNameSyntax }:
                        first = name;
                        break;
                    default:
                        return null;
                }

                var declared = DeclaredIn(holder, first.Identifier.ValueText, cancellationToken);
                if (declared is null)
                    return BindAtMemberStart(model, holder, expression, SpeculativeBindingOption.BindAsExpression);
                if (expression != first || declared is not { IsVar: false } written)
                    return null;
                return BindType(model, holder, written);
            }

            private static ITypeSymbol? BindType(SemanticModel model, MemberDeclarationSyntax holder, TypeSyntax type)
                => BindAtMemberStart(model, holder, type, SpeculativeBindingOption.BindAsTypeOrNamespace);

            /// <summary>
            /// <paramref name="expression"/> bound at the start of <paramref name="holder"/>, where it binds as at the start
            /// of every member of the same type declaration (the member's own names were ruled out by the caller): bound
            /// once per declaration and name, since the publish sites of a class share their receiver and token.
            /// </summary>
            private static ITypeSymbol? BindAtMemberStart(SemanticModel model, MemberDeclarationSyntax holder, ExpressionSyntax expression, SpeculativeBindingOption option)
            {
                var declaration = holder.Parent as BaseTypeDeclarationSyntax;
                if (declaration is null)
                    return Bound(model.GetSpeculativeTypeInfo(holder.SpanStart, expression, option).Type);
                var text = (option == SpeculativeBindingOption.BindAsTypeOrNamespace ? "type:" : "value:") + expression.ToString();
                return CompilationCache.Of(model.Compilation).Binding(
                    expression.SyntaxTree,
                    declaration.SpanStart,
                    text,
                    () => Bound(model.GetSpeculativeTypeInfo(holder.SpanStart, expression, option).Type));
            }

            private static ITypeSymbol? Bound(ITypeSymbol? type) => type is null || type.TypeKind == TypeKind.Error ? null : type;

            /// <summary>
            /// What <paramref name="holder"/> declares under <paramref name="name"/>: null when it declares nothing by
            /// that name (the name binds as at the member's start); the written type when it declares exactly one
            /// parameter or local with a written type; <c>var</c> (undecidable here) otherwise.
            /// </summary>
            private static TypeSyntax? DeclaredIn(MemberDeclarationSyntax holder, string name, CancellationToken cancellationToken)
            {
                TypeSyntax? found = null;
                var count = 0;
                foreach (var token in holder.DescendantTokens())
                {
                    if (!token.IsKind(SyntaxKind.IdentifierToken) || token.ValueText != name)
                        continue;
                    cancellationToken.ThrowIfCancellationRequested();
                    switch (token.Parent)
                    {
                        case ParameterSyntax parameter when parameter.Identifier == token:
                            count++;
                            found = parameter.Type;
                            break;
                        case VariableDeclaratorSyntax declarator when declarator.Identifier == token:
                            count++;
                            found = (declarator.Parent as VariableDeclarationSyntax)?.Type;
                            break;
                        case SingleVariableDesignationSyntax or ForEachStatementSyntax or CatchDeclarationSyntax
                            or TypeParameterSyntax or LocalFunctionStatementSyntax or FromClauseSyntax or LetClauseSyntax
                            or JoinClauseSyntax or QueryContinuationSyntax:
                            count += 2; // declared in a way this reader does not follow
                            break;
                    }
                }
                if (count == 0)
                    return null;
                return count == 1 && found is not null ? found : s_undecidable;
            }

            private static readonly TypeSyntax s_undecidable = SyntaxFactory.IdentifierName("var");

            /// <summary>What a site's reading decided: the published type (null: not Herald's) and whether it can be intercepted.</summary>
            private readonly struct Site
            {
                public static readonly Site Undecided = new(false, null, false);

                public static readonly Site NotHerald = new(true, null, false);

                public Site(bool decided, ITypeSymbol? eventType, bool interceptable)
                {
                    Decided = decided;
                    EventType = eventType;
                    Interceptable = interceptable;
                }

                public bool Decided { get; }

                public ITypeSymbol? EventType { get; }

                public bool Interceptable { get; }
            }
        }
    }
}
