using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Herald.CodeAnalysis
{
    /// <summary>Why a payload object cannot be created when it is read back; <see cref="None"/> when it can.</summary>
    internal enum ConstructionProblem
    {
        None,

        /// <summary>Abstract or static: there is nothing to create.</summary>
        NotCreatable,

        /// <summary>No public constructor without <c>ref</c>/<c>out</c> parameters.</summary>
        NoPublicConstructor,

        /// <summary>Every public constructor has a parameter that matches no payload member.</summary>
        UnmatchedParameter,
    }

    /// <summary>
    /// How a payload object is created when it is read back, decided once for the generator (which emits the call)
    /// and the analyzers (which report HER0003 when there is none): the public constructor with the most parameters
    /// among those whose every parameter matches a member that travels (see <see cref="PayloadMembers.Carried"/>) by
    /// name, ignoring case, and by type. A parameterless constructor matches trivially.
    /// </summary>
    internal static class PayloadConstruction
    {
        /// <summary>The constructor to read <paramref name="type"/> with; null when there is none (see <see cref="Why"/>).</summary>
        public static IMethodSymbol? Choose(INamedTypeSymbol type, IReadOnlyList<PayloadMember> carried)
            => Read(type, carried, out _, out _);

        /// <summary>
        /// Why <paramref name="type"/> cannot be created; for <see cref="ConstructionProblem.UnmatchedParameter"/>, the
        /// first parameter of the longest public constructor that matches no member.
        /// </summary>
        public static ConstructionProblem Why(INamedTypeSymbol type, IReadOnlyList<PayloadMember> carried, out IParameterSymbol? unmatched)
        {
            Read(type, carried, out var problem, out unmatched);
            return problem;
        }

        public static bool Matches(IParameterSymbol parameter, PayloadMember member)
            => string.Equals(parameter.Name, member.Symbol.Name, StringComparison.OrdinalIgnoreCase)
               && SymbolEqualityComparer.Default.Equals(parameter.Type, member.Type);

        /// <summary>The member <paramref name="parameter"/> fills; null when none matches.</summary>
        public static PayloadMember? MemberOf(IParameterSymbol parameter, IReadOnlyList<PayloadMember> carried)
        {
            foreach (var member in carried)
            {
                if (Matches(parameter, member))
                    return member;
            }
            return null;
        }

        private static IMethodSymbol? Read(INamedTypeSymbol type, IReadOnlyList<PayloadMember> carried, out ConstructionProblem problem, out IParameterSymbol? unmatched)
        {
            unmatched = null;
            if (type.IsAbstract || type.IsStatic)
            {
                problem = ConstructionProblem.NotCreatable;
                return null;
            }

            IMethodSymbol? best = null;
            IMethodSymbol? longestFailing = null;
            IParameterSymbol? failingParameter = null;
            foreach (var constructor in type.InstanceConstructors)
            {
                if (constructor.DeclaredAccessibility != Accessibility.Public || HasByRefParameter(constructor))
                    continue;
                var missing = FirstUnmatched(constructor, carried);
                if (missing is null)
                {
                    if (best is null || constructor.Parameters.Length > best.Parameters.Length)
                        best = constructor;
                }
                else if (longestFailing is null || constructor.Parameters.Length > longestFailing.Parameters.Length)
                {
                    longestFailing = constructor;
                    failingParameter = missing;
                }
            }

            if (best is not null)
                problem = ConstructionProblem.None;
            else if (longestFailing is null)
                problem = ConstructionProblem.NoPublicConstructor;
            else
            {
                problem = ConstructionProblem.UnmatchedParameter;
                unmatched = failingParameter;
            }
            return best;
        }

        private static bool HasByRefParameter(IMethodSymbol constructor)
        {
            foreach (var parameter in constructor.Parameters)
            {
                if (parameter.RefKind is RefKind.Ref or RefKind.Out)
                    return true;
            }
            return false;
        }

        private static IParameterSymbol? FirstUnmatched(IMethodSymbol constructor, IReadOnlyList<PayloadMember> carried)
        {
            foreach (var parameter in constructor.Parameters)
            {
                if (MemberOf(parameter, carried) is null)
                    return parameter;
            }
            return null;
        }
    }
}
