using System.Collections.Generic;
using System.Linq;
using Herald.CodeAnalysis;
using Herald.Generator.Model;

namespace Herald.Generator
{
    public sealed partial class DispatchGenerator
    {
        /// <summary>
        /// Writes the durable part of a module: the durable handlers, one <c>DurableEventType</c> per <c>[Event]</c>
        /// type, and the reflection-free JSON helpers they share (one pair per payload type).
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
            private const string IgnoreCase = "global::System.StringComparison.OrdinalIgnoreCase";
            private const string CharSpan = "global::System.Span<char>";
            private const string Infrastructure = "global::Herald.Infrastructure";
            private const string ValueTask = "global::System.Threading.Tasks.ValueTask";

            /// <summary>The nesting limit of <c>Utf8JsonReader</c>'s default options, which the runtime reads with.</summary>
            private const int MaxDepth = 64;

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
                        w.Line("static (services, e, cancellationToken) => " + Invocation(handler) + "),");
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

            /// <summary>The <c>DurableEventType</c> classes and the JSON helpers, inside the module class.</summary>
            public static void WriteTypes(SourceWriter w, DispatchTableSpec table)
            {
                if (table.DurableEvents.Count == 0)
                    return;
                var helpers = new HelperNames(table.JsonTypes);

                w.Line();
                // Payload code reads null into members whatever their annotation (as System.Text.Json does by default),
                // so it is written without nullable annotations.
                w.Line("#nullable disable");
                for (var i = 0; i < table.DurableEvents.Count; i++)
                {
                    w.Line();
                    WriteEventType(w, table.DurableEvents[i], i, helpers);
                }
                w.Line();
                WriteJsonHelpers(w, table, helpers);
                w.Line("#nullable enable");
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
                w.Line("throw DurableJson.WriteFailed(Name, ex);");
                w.Close();
                w.Close();
                w.Line();
                w.Open("public override " + type + " Read(ref " + Reader + " reader)");
                w.Open("try");
                w.Line("return DurableJson.Read" + helper + "(ref reader);");
                w.Close();
                w.Open("catch (" + Exception + " ex) when (DurableJson.IsPayloadError(ex))");
                w.Line("throw DurableJson.ReadFailed(Name, ex);");
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

            private static void WriteJsonHelpers(SourceWriter w, DispatchTableSpec table, HelperNames helpers)
            {
                w.Line("/// <summary>Reflection-free JSON for the durable events of this assembly: a Write and a Read per payload type.</summary>");
                w.Open("private static class DurableJson");
                WriteSharedHelpers(w);
                foreach (var spec in table.JsonTypes)
                {
                    w.Line();
                    var name = helpers[spec.TypeName];
                    switch (spec.Kind)
                    {
                        case JsonKind.Enum:
                            WriteEnum(w, spec, name);
                            break;
                        case JsonKind.Nullable:
                            WriteNullable(w, spec, name, helpers);
                            break;
                        case JsonKind.Object:
                            WriteObject(w, spec, name, helpers);
                            break;
                        case JsonKind.Array:
                        case JsonKind.List:
                        case JsonKind.HashSet:
                            WriteCollection(w, spec, name, helpers);
                            break;
                        case JsonKind.Dictionary:
                            WriteDictionary(w, spec, name, helpers);
                            break;
                        default:
                            WritePrimitive(w, spec);
                            break;
                    }
                }
                w.Close();
            }

            private static void WriteSharedHelpers(SourceWriter w)
            {
                w.Line("private const int MaxDepth = " + MaxDepth + ";");
                w.Line();
                w.Line("/// <summary>");
                w.Line("/// What reading a payload can fail with besides a JsonException: the reader's GetString on invalid UTF-16");
                w.Line("/// (InvalidOperationException), a constructor or setter that rejects a value (ArgumentException and others).");
                w.Line("/// </summary>");
                w.Line("internal static bool IsPayloadError(" + Exception + " exception)");
                w.Line("    => exception is " + JsonException + " or global::System.InvalidOperationException or global::System.ArgumentException or global::System.FormatException or global::System.OverflowException;");
                w.Line();
                w.Open("internal static " + JsonException + " ReadFailed(string eventName, " + Exception + " inner)");
                w.Line("var failure = At(inner, string.Empty);");
                w.Line("var path = \"$\" + failure.Path;");
                w.Line("return new " + JsonException + "(\"Cannot read the payload of '\" + eventName + \"' at \" + path + \": \" + failure.Message, path, failure.LineNumber, failure.BytePositionInLine, failure.InnerException ?? failure);");
                w.Close();
                w.Line();
                w.Line("internal static " + JsonException + " WriteFailed(string eventName, " + JsonException + " inner)");
                w.Line("    => new " + JsonException + "(\"Cannot write the payload of '\" + eventName + \"': \" + inner.Message, inner);");
                w.Line();
                w.Line("/// <summary>The same failure, one level further out: <paramref name=\"segment\"/> is prepended to its path.</summary>");
                w.Line("private static " + JsonException + " At(" + Exception + " inner, string segment)");
                w.Line("    => inner is " + JsonException + " json");
                w.Line("        ? new " + JsonException + "(json.Message, segment + json.Path, json.LineNumber, json.BytePositionInLine, json.InnerException ?? json)");
                w.Line("        : new " + JsonException + "(inner.Message, segment, null, null, inner);");
                w.Line();
                w.Line("private static " + JsonException + " Unexpected(ref " + Reader + " reader, string expected)");
                w.Line("    => new " + JsonException + "(\"expected \" + expected + \" but found \" + Describe(reader.TokenType));");
                w.Line();
                w.Line("private static " + JsonException + " Invalid(ref " + Reader + " reader, string expected)");
                w.Line("    => new " + JsonException + "(Raw(ref reader) + \" is not \" + expected);");
                w.Line();
                w.Open("private static string Describe(" + Token + " token)");
                w.Open("switch (token)");
                foreach (var (token, text) in new[]
                {
                    ("StartObject", "an object"), ("StartArray", "an array"), ("String", "a string"), ("Number", "a number"),
                    ("True", "true"), ("False", "false"), ("Null", "null"), ("PropertyName", "a property name"),
                    ("EndObject", "the end of an object"), ("EndArray", "the end of an array"),
                })
                {
                    w.Line("case " + Token + "." + token + ": return \"" + text + "\";");
                }
                w.Line("default: return \"another token\";");
                w.Close();
                w.Close();
                w.Line();
                w.Open("private static string Raw(ref " + Reader + " reader)");
                w.Line("if (reader.TokenType == " + Token + ".String)");
                w.Line("    return \"\\\"\" + reader.GetString() + \"\\\"\";");
                w.Line("var bytes = reader.HasValueSequence ? global::System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray();");
                w.Line("return global::System.Text.Encoding.UTF8.GetString(bytes);");
                w.Close();
                w.Line();
                w.Open("private static " + Token + " Next(ref " + Reader + " reader)");
                w.Line("if (!reader.Read())");
                w.Line("    throw new " + JsonException + "(\"the payload ends early\");");
                w.Line("return reader.TokenType;");
                w.Close();
                w.Line();
                w.Open("private static void Enter(" + Writer + " writer)");
                w.Line("if (writer.CurrentDepth >= MaxDepth)");
                w.Line("    throw new " + JsonException + "(\"the payload nests deeper than \" + MaxDepth + \" levels (does the event hold a reference cycle?)\");");
                w.Close();
                w.Line();
                w.Open("private static int IndexIgnoringCase(ref " + Reader + " reader, string[] names)");
                w.Line("var name = reader.GetString();");
                w.Line("for (var i = 0; i < names.Length; i++)");
                w.Line("{");
                w.Line("    if (string.Equals(name, names[i], " + IgnoreCase + "))");
                w.Line("        return i;");
                w.Line("}");
                w.Line("return -1;");
                w.Close();
            }

            private static void WritePrimitive(SourceWriter w, JsonTypeSpec spec)
            {
                var kind = spec.Kind.ToString();
                var type = spec.TypeName;
                var write = "internal static void Write" + kind + "(" + Writer + " writer, " + type + " value)";
                var read = "internal static " + type + " Read" + kind + "(ref " + Reader + " reader)";
                switch (spec.Kind)
                {
                    case JsonKind.String:
                        WriteNullableReference(w, write, "writer.WriteStringValue(value);");
                        w.Line();
                        w.Open(read);
                        w.Line("if (reader.TokenType == " + Token + ".String)");
                        w.Line("    return reader.GetString();");
                        w.Line("if (reader.TokenType == " + Token + ".Null)");
                        w.Line("    return null;");
                        w.Line("throw Unexpected(ref reader, \"a string\");");
                        w.Close();
                        break;

                    case JsonKind.Boolean:
                        w.Line(write);
                        w.Line("    => writer.WriteBooleanValue(value);");
                        w.Line();
                        w.Open(read);
                        w.Line("if (reader.TokenType == " + Token + ".True)");
                        w.Line("    return true;");
                        w.Line("if (reader.TokenType == " + Token + ".False)");
                        w.Line("    return false;");
                        w.Line("throw Unexpected(ref reader, \"true or false\");");
                        w.Close();
                        break;

                    case JsonKind.Byte:
                    case JsonKind.SByte:
                    case JsonKind.Int16:
                    case JsonKind.UInt16:
                    case JsonKind.Int32:
                    case JsonKind.UInt32:
                    case JsonKind.Int64:
                    case JsonKind.UInt64:
                    case JsonKind.Decimal:
                        var widened = spec.Kind is JsonKind.Byte or JsonKind.SByte or JsonKind.Int16 or JsonKind.UInt16;
                        w.Line(write);
                        w.Line("    => writer.WriteNumberValue(" + (widened ? "(int)value" : "value") + ");");
                        w.Line();
                        w.Open(read);
                        w.Line("if (reader.TokenType != " + Token + ".Number)");
                        w.Line("    throw Unexpected(ref reader, \"a number\");");
                        w.Line("return reader.TryGet" + kind + "(out var value) ? value : throw Invalid(ref reader, \"" + Article(kind) + "\");");
                        w.Close();
                        break;

                    case JsonKind.Single:
                    case JsonKind.Double:
                        var keyword = spec.Kind == JsonKind.Single ? "float" : "double";
                        w.Open(write);
                        w.Line("if (" + keyword + ".IsFinite(value))");
                        w.Line("    writer.WriteNumberValue(value);");
                        w.Line("else");
                        w.Line("    writer.WriteStringValue(" + keyword + ".IsNaN(value) ? \"NaN\"u8 : value > 0 ? \"Infinity\"u8 : \"-Infinity\"u8);");
                        w.Close();
                        w.Line();
                        w.Open(read);
                        w.Line("if (reader.TokenType == " + Token + ".Number)");
                        w.Line("    return reader.TryGet" + kind + "(out var value) ? value : throw Invalid(ref reader, \"" + Article(kind) + "\");");
                        w.Line("if (reader.TokenType != " + Token + ".String)");
                        w.Line("    throw Unexpected(ref reader, \"a number\");");
                        w.Line("if (reader.ValueTextEquals(\"NaN\"u8))");
                        w.Line("    return " + keyword + ".NaN;");
                        w.Line("if (reader.ValueTextEquals(\"Infinity\"u8))");
                        w.Line("    return " + keyword + ".PositiveInfinity;");
                        w.Line("if (reader.ValueTextEquals(\"-Infinity\"u8))");
                        w.Line("    return " + keyword + ".NegativeInfinity;");
                        w.Line("throw Invalid(ref reader, \"" + Article(kind) + "\");");
                        w.Close();
                        break;

                    case JsonKind.Char:
                        w.Open(write);
                        w.Line(CharSpan + " text = stackalloc char[1];");
                        w.Line("text[0] = value;");
                        w.Line("writer.WriteStringValue(text);");
                        w.Close();
                        w.Line();
                        w.Open(read);
                        w.Line("if (reader.TokenType != " + Token + ".String)");
                        w.Line("    throw Unexpected(ref reader, \"a string\");");
                        w.Line("var text = reader.GetString();");
                        w.Line("return text.Length == 1 ? text[0] : throw Invalid(ref reader, \"a single character\");");
                        w.Close();
                        break;

                    case JsonKind.Guid:
                    case JsonKind.DateTimeOffset:
                    case JsonKind.DateTime:
                        w.Line(write);
                        w.Line("    => writer.WriteStringValue(value);");
                        w.Line();
                        w.Open(read);
                        w.Line("if (reader.TokenType != " + Token + ".String)");
                        w.Line("    throw Unexpected(ref reader, \"a string\");");
                        w.Line("return reader.TryGet" + kind + "(out var value) ? value : throw Invalid(ref reader, \"" + Article(kind) + "\");");
                        w.Close();
                        break;

                    case JsonKind.TimeSpan:
                    case JsonKind.DateOnly:
                    case JsonKind.TimeOnly:
                        // "c": [-][d.]hh:mm:ss[.fffffff]; "O": yyyy-MM-dd and HH:mm:ss.fffffff. All culture-invariant.
                        var format = spec.Kind == JsonKind.TimeSpan ? "\"c\"" : "\"O\"";
                        w.Open(write);
                        w.Line(CharSpan + " text = stackalloc char[32];");
                        w.Line("value.TryFormat(text, out var length, " + format + ", " + Invariant + ");");
                        w.Line("writer.WriteStringValue(text.Slice(0, length));");
                        w.Close();
                        w.Line();
                        w.Open(read);
                        w.Line("if (reader.TokenType != " + Token + ".String)");
                        w.Line("    throw Unexpected(ref reader, \"a string\");");
                        w.Line(spec.Kind == JsonKind.TimeSpan
                            ? "return " + type + ".TryParseExact(reader.GetString(), " + format + ", " + Invariant + ", out var value)"
                            : "return " + type + ".TryParseExact(reader.GetString(), " + format + ", " + Invariant + ", global::System.Globalization.DateTimeStyles.None, out var value)");
                        w.Line("    ? value");
                        w.Line("    : throw Invalid(ref reader, \"" + Article(kind) + "\");");
                        w.Close();
                        break;

                    case JsonKind.Uri:
                        WriteNullableReference(w, write, "writer.WriteStringValue(value.OriginalString);");
                        w.Line();
                        w.Open(read);
                        w.Line("if (reader.TokenType == " + Token + ".Null)");
                        w.Line("    return null;");
                        w.Line("if (reader.TokenType != " + Token + ".String)");
                        w.Line("    throw Unexpected(ref reader, \"a string\");");
                        w.Line("return " + type + ".TryCreate(reader.GetString(), global::System.UriKind.RelativeOrAbsolute, out var value) ? value : throw Invalid(ref reader, \"a URI\");");
                        w.Close();
                        break;

                    case JsonKind.Bytes:
                        WriteNullableReference(w, write, "writer.WriteBase64StringValue(value);");
                        w.Line();
                        w.Open(read);
                        w.Line("if (reader.TokenType == " + Token + ".Null)");
                        w.Line("    return null;");
                        w.Line("if (reader.TokenType != " + Token + ".String)");
                        w.Line("    throw Unexpected(ref reader, \"a base64 string\");");
                        w.Line("return reader.TryGetBytesFromBase64(out var value) ? value : throw Invalid(ref reader, \"base64\");");
                        w.Close();
                        break;
                }
            }

            private static void WriteNullableReference(SourceWriter w, string signature, string write)
            {
                w.Open(signature);
                w.Line("if (value is null)");
                w.Line("    writer.WriteNullValue();");
                w.Line("else");
                w.Line("    " + write);
                w.Close();
            }

            private static void WriteEnum(SourceWriter w, JsonTypeSpec spec, string name)
            {
                var type = spec.TypeName;
                var unsigned = spec.EnumUnderlying is JsonKind.Byte or JsonKind.UInt16 or JsonKind.UInt32 or JsonKind.UInt64;
                w.Line("// " + type);
                w.Open("internal static void Write" + name + "(" + Writer + " writer, " + type + " value)");
                if (spec.EnumMembers.Any(m => m.Writes))
                {
                    w.Open("switch (value)");
                    foreach (var member in spec.EnumMembers.Where(m => m.Writes))
                    {
                        w.Line("case " + type + "." + SourceNames.Escape(member.Name) + ":");
                        w.Line("    writer.WriteStringValue(" + Utf8(member.Name) + ");");
                        w.Line("    return;");
                    }
                    w.Close();
                }
                w.Line("// A value without a name (a combination of flags) is written as its number.");
                w.Line("writer.WriteNumberValue(" + (unsigned ? "(ulong)" : "(long)") + "value);");
                w.Close();
                w.Line();
                w.Open("internal static " + type + " Read" + name + "(ref " + Reader + " reader)");
                w.Open("if (reader.TokenType == " + Token + ".String)");
                foreach (var member in spec.EnumMembers)
                {
                    w.Line("if (reader.ValueTextEquals(" + Utf8(member.Name) + "))");
                    w.Line("    return " + type + "." + SourceNames.Escape(member.Name) + ";");
                }
                w.Line("var text = reader.GetString();");
                foreach (var member in spec.EnumMembers)
                {
                    w.Line("if (string.Equals(text, " + Emitter.Quote(member.Name) + ", " + IgnoreCase + "))");
                    w.Line("    return " + type + "." + SourceNames.Escape(member.Name) + ";");
                }
                w.Line("throw Invalid(ref reader, " + Emitter.Quote("a name of " + spec.DisplayName) + ");");
                w.Close();
                w.Line("if (reader.TokenType == " + Token + ".Number)");
                w.Line("    return reader.TryGet" + spec.EnumUnderlying + "(out var number) ? (" + type + ")number : throw Invalid(ref reader, " + Emitter.Quote("a value of " + spec.DisplayName) + ");");
                w.Line("throw Unexpected(ref reader, " + Emitter.Quote("a name of " + spec.DisplayName) + ");");
                w.Close();
            }

            private static void WriteNullable(SourceWriter w, JsonTypeSpec spec, string name, HelperNames helpers)
            {
                var type = spec.TypeName;
                var underlying = helpers[spec.ElementTypeName];
                w.Line("// " + type);
                w.Open("internal static void Write" + name + "(" + Writer + " writer, " + type + " value)");
                w.Line("if (value.HasValue)");
                w.Line("    Write" + underlying + "(writer, value.GetValueOrDefault());");
                w.Line("else");
                w.Line("    writer.WriteNullValue();");
                w.Close();
                w.Line();
                w.Line("internal static " + type + " Read" + name + "(ref " + Reader + " reader)");
                w.Line("    => reader.TokenType == " + Token + ".Null ? (" + type + ")null : Read" + underlying + "(ref reader);");
            }

            private static void WriteCollection(SourceWriter w, JsonTypeSpec spec, string name, HelperNames helpers)
            {
                var type = spec.TypeName;
                var element = helpers[spec.ElementTypeName];
                w.Line("// " + type);
                w.Open("internal static void Write" + name + "(" + Writer + " writer, " + type + " value)");
                w.Open("if (value is null)");
                w.Line("writer.WriteNullValue();");
                w.Line("return;");
                w.Close();
                w.Line("Enter(writer);");
                w.Line("writer.WriteStartArray();");
                w.Line("foreach (var item in value)");
                w.Line("    Write" + element + "(writer, item);");
                w.Line("writer.WriteEndArray();");
                w.Close();
                w.Line();
                w.Open("internal static " + type + " Read" + name + "(ref " + Reader + " reader)");
                w.Line("if (reader.TokenType == " + Token + ".Null)");
                w.Line("    return null;");
                w.Line("if (reader.TokenType != " + Token + ".StartArray)");
                w.Line("    throw Unexpected(ref reader, \"an array\");");
                w.Line(spec.Kind == JsonKind.HashSet
                    ? "var items = new " + type + "();"
                    : "var items = new global::System.Collections.Generic.List<" + spec.ElementTypeName + ">();");
                w.Line("var index = 0;");
                w.Open("try");
                w.Open("while (Next(ref reader) != " + Token + ".EndArray)");
                w.Line("items.Add(Read" + element + "(ref reader));");
                w.Line("index++;");
                w.Close();
                w.Close();
                w.Open("catch (" + Exception + " ex) when (IsPayloadError(ex))");
                w.Line("throw At(ex, \"[\" + index.ToString(" + Invariant + ") + \"]\");");
                w.Close();
                w.Line(spec.Kind == JsonKind.Array ? "return items.ToArray();" : "return items;");
                w.Close();
            }

            private static void WriteDictionary(SourceWriter w, JsonTypeSpec spec, string name, HelperNames helpers)
            {
                var type = spec.TypeName;
                var value = helpers[spec.ElementTypeName];
                w.Line("// " + type);
                w.Open("internal static void Write" + name + "(" + Writer + " writer, " + type + " value)");
                w.Open("if (value is null)");
                w.Line("writer.WriteNullValue();");
                w.Line("return;");
                w.Close();
                w.Line("Enter(writer);");
                w.Line("writer.WriteStartObject();");
                w.Open("foreach (var pair in value)");
                w.Line("writer.WritePropertyName(pair.Key);");
                w.Line("Write" + value + "(writer, pair.Value);");
                w.Close();
                w.Line("writer.WriteEndObject();");
                w.Close();
                w.Line();
                w.Open("internal static " + type + " Read" + name + "(ref " + Reader + " reader)");
                w.Line("if (reader.TokenType == " + Token + ".Null)");
                w.Line("    return null;");
                w.Line("if (reader.TokenType != " + Token + ".StartObject)");
                w.Line("    throw Unexpected(ref reader, \"an object\");");
                w.Line("var items = new global::System.Collections.Generic.Dictionary<string, " + spec.ElementTypeName + ">();");
                w.Line("string key = null;");
                w.Open("try");
                w.Open("while (Next(ref reader) != " + Token + ".EndObject)");
                w.Line("key = reader.GetString();");
                w.Line("Next(ref reader);");
                w.Line("items[key] = Read" + value + "(ref reader);");
                w.Line("key = null;");
                w.Close();
                w.Close();
                w.Open("catch (" + Exception + " ex) when (key is not null && IsPayloadError(ex))");
                w.Line("throw At(ex, \"['\" + key + \"']\");");
                w.Close();
                w.Line("return items;");
                w.Close();
            }

            private static void WriteObject(SourceWriter w, JsonTypeSpec spec, string name, HelperNames helpers)
            {
                var type = spec.TypeName;
                w.Line("// " + type);
                w.Open("internal static void Write" + name + "(" + Writer + " writer, " + type + " value)");
                if (!spec.IsValueType)
                {
                    w.Open("if (value is null)");
                    w.Line("writer.WriteNullValue();");
                    w.Line("return;");
                    w.Close();
                }
                w.Line("Enter(writer);");
                w.Line("writer.WriteStartObject();");
                foreach (var member in spec.Members)
                {
                    w.Line("writer.WritePropertyName(" + Utf8(member.JsonName) + ");");
                    w.Line("Write" + helpers[member.TypeName] + "(writer, value." + member.Name + ");");
                }
                w.Line("writer.WriteEndObject();");
                w.Close();
                w.Line();

                var readable = spec.Members.Where(m => m.Assignment != MemberAssignment.None).ToList();
                if (readable.Count > 0)
                {
                    w.Line("private static readonly string[] s_names" + name + " = { " + string.Join(", ", readable.Select(m => Emitter.Quote(m.JsonName))) + " };");
                    w.Line();
                }

                w.Open("internal static " + type + " Read" + name + "(ref " + Reader + " reader)");
                if (!spec.IsValueType)
                {
                    w.Line("if (reader.TokenType == " + Token + ".Null)");
                    w.Line("    return null;");
                }
                w.Line("if (reader.TokenType != " + Token + ".StartObject)");
                w.Line("    throw Unexpected(ref reader, \"an object\");");
                if (spec.Construction is not { } construction)
                {
                    w.Line("throw new " + JsonException + "(" + Emitter.Quote(spec.DisplayName + " cannot be created: it needs a public constructor whose parameters all match its members, or a parameterless one") + ");");
                    w.Close();
                    return;
                }

                var defaults = construction.Parameters
                    .Where(p => p.MemberJsonName.Length > 0)
                    .GroupBy(p => p.MemberJsonName)
                    .ToDictionary(g => g.Key, g => g.First().DefaultValue);
                for (var i = 0; i < readable.Count; i++)
                {
                    var member = readable[i];
                    var initial = member.Assignment == MemberAssignment.Constructor && defaults.TryGetValue(member.JsonName, out var d) ? d : "default";
                    w.Line(member.TypeName + " v" + i + " = " + initial + ";");
                    if (member.Assignment == MemberAssignment.Setter)
                        w.Line("var has" + i + " = false;");
                }

                if (readable.Count == 0)
                {
                    w.Line("while (Next(ref reader) != " + Token + ".EndObject)");
                    w.Line("    reader.Skip();");
                }
                else
                {
                    w.Line("string member = null;");
                    w.Open("try");
                    w.Open("while (Next(ref reader) != " + Token + ".EndObject)");
                    w.Line("int index;");
                    for (var i = 0; i < readable.Count; i++)
                    {
                        w.Line((i == 0 ? "if" : "else if") + " (reader.ValueTextEquals(" + Utf8(readable[i].JsonName) + "))");
                        w.Line("    index = " + i + ";");
                    }
                    w.Line("else");
                    w.Line("    index = IndexIgnoringCase(ref reader, s_names" + name + ");");
                    w.Open("switch (index)");
                    for (var i = 0; i < readable.Count; i++)
                    {
                        var member = readable[i];
                        w.Line("case " + i + ":");
                        w.Indent();
                        w.Line("member = " + Emitter.Quote(member.JsonName) + ";");
                        w.Line("Next(ref reader);");
                        w.Line("v" + i + " = Read" + helpers[member.TypeName] + "(ref reader);");
                        if (member.Assignment == MemberAssignment.Setter)
                            w.Line("has" + i + " = true;");
                        w.Line("break;");
                        w.Outdent();
                    }
                    w.Line("default:");
                    w.Line("    reader.Skip(); // an unknown property: its value is skipped");
                    w.Line("    break;");
                    w.Close();
                    w.Line("member = null;");
                    w.Close();
                    w.Close();
                    w.Open("catch (" + Exception + " ex) when (member is not null && IsPayloadError(ex))");
                    w.Line("throw At(ex, \".\" + member);");
                    w.Close();
                }

                var local = new Dictionary<string, string>();
                for (var i = 0; i < readable.Count; i++)
                    local[readable[i].JsonName] = "v" + i;
                var arguments = construction.Parameters.Select(p =>
                    p.MemberJsonName.Length > 0 && local.TryGetValue(p.MemberJsonName, out var v) ? v : p.DefaultValue);
                var initializers = new List<string>();
                for (var i = 0; i < readable.Count; i++)
                {
                    if (readable[i].Assignment == MemberAssignment.Initializer || readable[i].AlsoInitialize)
                        initializers.Add(readable[i].Name + " = v" + i);
                }
                initializers.AddRange(construction.DefaultInitializers.Select(member => member + " = default"));
                var creation = "new " + type + "(" + string.Join(", ", arguments) + ")"
                    + (initializers.Count == 0 ? string.Empty : " { " + string.Join(", ", initializers) + " }");

                var setters = Enumerable.Range(0, readable.Count).Where(i => readable[i].Assignment == MemberAssignment.Setter).ToList();
                if (setters.Count == 0)
                {
                    w.Line("return " + creation + ";");
                }
                else
                {
                    w.Line("var result = " + creation + ";");
                    foreach (var i in setters)
                    {
                        w.Line("if (has" + i + ")");
                        w.Line("    result." + readable[i].Name + " = v" + i + ";");
                    }
                    w.Line("return result;");
                }
                w.Close();
            }

            private static string Utf8(string text) => Emitter.Quote(text) + "u8";

            private static string Article(string kind)
                => ("AEIO".IndexOf(kind[0]) >= 0 ? "an " : "a ") + kind;

            /// <summary>
            /// The helper suffix of each payload type: the kind's name for a primitive (<c>WriteInt32</c>), else
            /// <c>T</c> and its position (<c>WriteT3</c>).
            /// </summary>
            private sealed class HelperNames
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

                private static bool IsPrimitive(JsonKind kind)
                    => kind is not (JsonKind.Enum or JsonKind.Nullable or JsonKind.Object or JsonKind.Array or JsonKind.List or JsonKind.HashSet or JsonKind.Dictionary);
            }
        }
    }
}
