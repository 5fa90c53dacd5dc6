using System.Collections.Generic;
using System.Linq;
using Herald.CodeAnalysis;
using Herald.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Herald.Generator
{
    public sealed partial class DispatchGenerator
    {
        /// <summary>
        /// Decides which publish sites get an interceptor: a site whose event type has an entry in this assembly's
        /// table, when the project lets <see cref="Namespace"/> hold interceptors (Herald's package does this in its
        /// build files). A <c>Publish</c> of an event with asynchronous handlers keeps its slot, which reports the
        /// misuse at run time as it always did.
        /// </summary>
        internal static class InterceptorBuilder
        {
            /// <summary>The namespace the interceptors are declared in: the one the package lists in <c>InterceptorsNamespaces</c>.</summary>
            public const string Namespace = "Herald.Generated";

            /// <summary>
            /// Whether the compiler accepts interceptors in <see cref="Namespace"/>: the project lists it in
            /// <c>InterceptorsNamespaces</c> (or the experimental <c>InterceptorsPreviewNamespaces</c> of older SDKs),
            /// and the language has <c>file</c>-local types (C# 11), which the interceptors are. Otherwise the generator
            /// writes none and every site keeps the per-event slot: the same behaviour, one indirect call slower.
            /// </summary>
            public static bool IsEnabled(ParseOptions options)
            {
                if (options is not CSharpParseOptions { LanguageVersion: >= LanguageVersion.CSharp11 })
                    return false;
                foreach (var feature in new[] { "InterceptorsNamespaces", "InterceptorsPreviewNamespaces" })
                {
                    if (options.Features.TryGetValue(feature, out var namespaces)
                        && namespaces.Split(';').Any(n => n.Trim() == Namespace))
                        return true;
                }
                return false;
            }

            public static InterceptorsSpec? Build(DispatchTableSpec? table, EquatableArray<PublishSiteSpec> sites, bool enabled)
            {
                if (!enabled || table is null || sites.Count == 0)
                    return null;

                var dispatchers = new Dictionary<string, (int Index, bool HasAsyncHandlers)>();
                for (var i = 0; i < table.Events.Count; i++)
                    dispatchers[table.Events[i].Event.TypeName] = (i, table.Events[i].HasAsyncHandlers);

                var interceptors = sites
                    .Where(site => site.Location is not null
                                   && dispatchers.TryGetValue(site.Event.TypeName, out var dispatcher)
                                   && (site.IsAsync || !dispatcher.HasAsyncHandlers))
                    .GroupBy(site => (site.Event.TypeName, site.IsAsync))
                    .OrderBy(group => group.Key.TypeName, System.StringComparer.Ordinal)
                    .ThenBy(group => group.Key.IsAsync)
                    .Select(group => new InterceptorSpec(
                        group.Key.TypeName,
                        group.First().Event.IsValueType,
                        group.Key.IsAsync,
                        dispatchers[group.Key.TypeName].Index,
                        group.Select(site => site.Location!)
                            .OrderBy(location => location.FilePath, System.StringComparer.Ordinal)
                            .ThenBy(location => location.Position)
                            .ToEquatableArray()))
                    .ToEquatableArray();
                return interceptors.Count == 0
                    ? null
                    : new InterceptorsSpec(table.AssemblyName, "global::" + table.ModuleNamespace + ".DispatchTable", interceptors);
            }
        }
    }
}
