using System.Collections.Generic;
using System.Linq;
using Herald.CodeAnalysis;
using Herald.Generator.Model;

namespace Herald.Generator
{
    public sealed partial class DispatchGenerator
    {
        /// <summary>
        /// Writes the durable part of a module: the factories of its durable types and handlers (in the table's file),
        /// and its own file with one <c>DurableEventType</c> per <c>[Event]</c> type and the reflection-free JSON
        /// helpers they share (one pair per payload type, <see cref="JsonEmitter"/>).
        /// </summary>
        /// <remarks>
        /// JSON rules: members are written under their camelCase names, all of them, nulls included. When reading,
        /// a property name is matched exactly first (UTF-8, no allocation), then ignoring case (so a payload written
        /// with PascalCase names still reads); unknown properties are skipped; a member the payload lacks keeps its
        /// default (a constructor parameter's default value, a settable member's initial value; an <c>init</c>
        /// member gets <c>default</c>, as C# cannot set it conditionally). JSON <c>null</c> reads as null for
        /// reference types (as System.Text.Json does by default) and fails for value types. Enums are written as the
        /// names of their values; a value with no name (a flags combination) is written as its number, and numbers
        /// read back. Non-finite floating-point values are written as the strings <c>NaN</c>, <c>Infinity</c> and
        /// <c>-Infinity</c>. A payload deeper than 64 levels (the reader's default limit; an event that holds a
        /// reference cycle) fails when it is written, not when it is read. Every failure is a
        /// <c>JsonException</c> whose message names the event and the path of the member (<c>$.lines[2].sku</c>).
        /// </remarks>
        internal static class DurableEmitter
        {
            private const string Json = "global::System.Text.Json";
            private const string Writer = Json + ".Utf8JsonWriter";
            private const string Reader = Json + ".Utf8JsonReader";
            private const string Token = Json + ".JsonTokenType";
            private const string JsonException = Json + ".JsonException";
            private const string Exception = "global::System.Exception";
            private const string Invariant = "global::System.Globalization.CultureInfo.InvariantCulture";
            private const string Infrastructure = "global::Herald.Infrastructure";
            private const string ValueTask = "global::System.Threading.Tasks.ValueTask";


            /// <summary>Overrides of <c>CreateDurableEventTypes</c> and <c>CreateDurableHandlers</c>, when there is anything to list.</summary>
            public static void WriteFactories(SourceWriter w, DispatchTableSpec table)
            {
                if (table.DurableEvents.Count > 0)
                {
                    w.Line("/// <inheritdoc />");
                    w.Open("protected override " + Infrastructure + ".DurableEventType[] CreateDurableEventTypes()");
                    w.Line("return new " + Infrastructure + ".DurableEventType[]");
                    w.Line("{");
                    for (var i = 0; i < table.DurableEvents.Count; i++)
                        w.Line("    new DurableEvent" + i + "(),");
                    w.Line("};");
                    w.Close();
                    w.Line();
                }

                if (table.DurableHandlers.Count > 0)
                {
                    w.Line("/// <inheritdoc />");
                    w.Open("protected override " + Infrastructure + ".DurableHandler[] CreateDurableHandlers()");
                    w.Line("return new " + Infrastructure + ".DurableHandler[]");
                    w.Line("{");
                    w.Indent();
                    foreach (var handler in table.DurableHandlers)
                    {
                        w.Line("new " + Infrastructure + ".DurableHandler(");
                        w.Indent();
                        w.Line(Emitter.Quote(handler.Consumer) + ",");
                        w.Line(Emitter.Quote(handler.EventName) + ",");
                        w.Line(Emitter.Quote(handler.Call.DisplayName) + ",");
                        w.Line(handler.Order.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",");
                        w.Line("static (services, e, cancellationToken) => " + Invocation(handler)
                               + (handler.Call.Kind == CallKind.Instance ? "," : "),"));
                        if (handler.Call.Kind == CallKind.Instance)
                            w.Line("typeof(" + handler.Call.TypeName + ")),");
                        w.Outdent();
                    }
                    w.Outdent();
                    w.Line("};");
                    w.Close();
                    w.Line();
                }
            }

            /// <summary>The body of a durable handler's <c>Invoke</c>: the call, as a <c>ValueTask</c>.</summary>
            private static string Invocation(DurableHandlerSpec handler)
            {
                var call = handler.Call;
                var target = call.Kind == CallKind.Instance
                    ? "global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<" + call.TypeName + ">(services)"
                    : call.TypeName;
                var arguments = "((" + handler.EventTypeName + ")e" + (call.TakesToken ? ", cancellationToken)" : ")");
                var invocation = target + "." + call.MethodName + arguments;
                return call.Returns switch
                {
                    HandlerReturn.Void => "{ " + invocation + "; return default; }",
                    HandlerReturn.Task => "new " + ValueTask + "(" + invocation + ")",
                    _ => invocation,
                };
            }

            /// <summary>
            /// The durable file of a module (<c>Herald.DurableJson.g.cs</c>): the <c>DurableEventType</c> classes and the JSON
            /// helpers of this assembly's payload types, in the module class's other part. What every assembly would
            /// write alike (failures, token checks, the primitive types) is <c>Herald.Infrastructure.DurableJson</c>, in
            /// the runtime, which the helpers call through <c>using static</c>.
            /// </summary>
            public static string Emit(DurableFileSpec file)
            {
                var helpers = new HelperNames(file.JsonTypes);
                var w = new SourceWriter();
                w.Line("// <auto-generated/>");
                w.Line("// The durable events of " + file.AssemblyName + ", written by Herald.Generator. Do not edit.");
                // Payload code reads null into members whatever their annotation (as System.Text.Json does by default),
                // so it is written without nullable annotations.
                w.Line("#nullable disable");
                w.Line();
                w.Line("using static global::Herald.Infrastructure.DurableJson;");
                w.Line();
                w.Open("namespace " + file.ModuleNamespace);
                w.Open("public sealed partial class DispatchTable");
                for (var i = 0; i < file.DurableEvents.Count; i++)
                {
                    if (i > 0)
                        w.Line();
                    WriteEventType(w, file.DurableEvents[i], i, helpers);
                }
                w.Line();
                JsonEmitter.WriteHelpers(w, file, helpers);
                w.Close();
                w.Close();
                return w.ToString();
            }

            private static void WriteEventType(SourceWriter w, DurableEventEntry entry, int index, HelperNames helpers)
            {
                var type = entry.TypeName;
                var helper = helpers[type];
                w.Line("/// <summary>The durable description of <c>" + Emitter.Xml(helpers.Spec(type).DisplayName) + "</c>: <c>" + Emitter.Xml(entry.Durable.Name) + "</c>, version " + entry.Durable.Version + ".</summary>");
                w.Open("private sealed class DurableEvent" + index + " : " + Infrastructure + ".DurableEventType<" + type + ">");
                w.Line("public DurableEvent" + index + "()");
                w.Line("    : base(" + Emitter.Quote(entry.Durable.Name) + ", " + entry.Durable.Version + ", " + entry.Durable.Durability + ")");
                w.Line("{");
                w.Line("}");
                w.Line();
                w.Open("public override void Write(" + Writer + " writer, " + type + " value)");
                w.Open("try");
                w.Line("DurableJson.Write" + helper + "(writer, value);");
                w.Close();
                w.Open("catch (" + JsonException + " ex)");
                w.Line("throw WriteFailed(Name, ex);");
                w.Close();
                w.Close();
                w.Line();
                w.Open("public override " + type + " Read(ref " + Reader + " reader)");
                w.Open("try");
                w.Line("return DurableJson.Read" + helper + "(ref reader);");
                w.Close();
                w.Open("catch (" + Exception + " ex) when (IsPayloadError(ex))");
                w.Line("throw ReadFailed(Name, ex);");
                w.Close();
                w.Close();
                if (entry.PartitionKey is { } key)
                {
                    w.Line();
                    w.Line("public override string GetPartitionKey(" + type + " value)");
                    w.Line("    => " + PartitionKey(key) + ";");
                }
                w.Close();
            }

            private static string PartitionKey(PartitionKeySpec key)
            {
                var member = "value." + key.MemberName;
                if (key.Format == PartitionKeyFormat.String)
                    return member;
                return key.MayBeNull
                    ? member + " is { } key ? " + Format(key.Format, "key") + " : null"
                    : Format(key.Format, member);
            }

            private static string Format(PartitionKeyFormat format, string value) => format switch
            {
                PartitionKeyFormat.Formattable => value + ".ToString(null, " + Invariant + ")",
                PartitionKeyFormat.ExplicitFormattable => "((global::System.IFormattable)" + value + ").ToString(null, " + Invariant + ")",
                _ => value + ".ToString()",
            };

            /// <summary>
            /// The helper suffix of each payload type: the kind's name for a primitive (<c>WriteInt32</c>), else
            /// <c>T</c> and its position (<c>WriteT3</c>).
            /// </summary>
            internal sealed class HelperNames
            {
                private readonly Dictionary<string, string> _names = new();
                private readonly Dictionary<string, JsonTypeSpec> _specs = new();

                public HelperNames(EquatableArray<JsonTypeSpec> types)
                {
                    var next = 0;
                    foreach (var type in types)
                    {
                        _specs[type.TypeName] = type;
                        _names[type.TypeName] = IsPrimitive(type.Kind) ? type.Kind.ToString() : "T" + next++;
                    }
                }

                public string this[string typeName] => _names[typeName];

                public JsonTypeSpec Spec(string typeName) => _specs[typeName];

                public static bool IsPrimitive(JsonKind kind)
                    => kind is not (JsonKind.Enum or JsonKind.Nullable or JsonKind.Object or JsonKind.Array or JsonKind.List or JsonKind.HashSet or JsonKind.Dictionary);
            }
        }
    }
}
