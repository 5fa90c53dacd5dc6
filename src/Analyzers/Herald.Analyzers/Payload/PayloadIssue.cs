using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Herald.Analyzers.Payload
{
    /// <summary>One payload diagnostic before it is reported: what, where, and whether an event it concerns is durable.</summary>
    internal sealed class PayloadIssue
    {
        public PayloadIssue(DiagnosticDescriptor descriptor, Location location, Location? leaf, bool durable, ImmutableDictionary<string, string?> properties, string[] arguments)
        {
            Descriptor = descriptor;
            Location = location;
            Leaf = leaf;
            Durable = durable;
            Properties = properties;
            Arguments = arguments;
        }

        public DiagnosticDescriptor Descriptor { get; }

        /// <summary>The member (or type) that holds the problem.</summary>
        public Location Location { get; }

        /// <summary>The declaration a code fix changes, when it is not the one at <see cref="Location"/> (a member of a nested type).</summary>
        public Location? Leaf { get; }

        public bool Durable { get; set; }

        public ImmutableDictionary<string, string?> Properties { get; }

        public string[] Arguments { get; }

        /// <summary>What two issues share when they are one diagnostic: a base type shared by several events, or a generic
        /// event used with several type arguments, reports what they have in common once.</summary>
        public (string Id, Location Location, string Message) Key => (Descriptor.Id, Location, string.Join("\u0001", Arguments));

        /// <summary>The diagnostic at <see cref="Location"/>.</summary>
        public Diagnostic Create() => Create(Location, Leaf is null ? null : new[] { Leaf });

        /// <summary>
        /// The same diagnostic at <paramref name="location"/> (a handler's parameter), pointing at the declaration to change
        /// so that the code fix works from there too.
        /// </summary>
        public Diagnostic CreateAt(Location location) => Create(location, new[] { Leaf ?? Location });

        private Diagnostic Create(Location location, IEnumerable<Location>? additional)
        {
            // HER0003 is an error where the event is written to the log and read back, a warning elsewhere; the
            // .editorconfig severity, when set, overrides both.
            var severity = Descriptor.Id == RuleIdentifiers.NotSerializableMember && !Durable
                ? DiagnosticSeverity.Warning
                : Descriptor.DefaultSeverity;
            object[] arguments = Arguments;
            return severity == Descriptor.DefaultSeverity
                ? Diagnostic.Create(Descriptor, location, additional, Properties, arguments)
                : Diagnostic.Create(Descriptor, location, severity, additional, Properties, arguments);
        }
    }
}
