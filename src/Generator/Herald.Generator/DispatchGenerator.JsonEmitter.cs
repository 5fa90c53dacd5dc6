using System.Collections.Generic;
using System.Linq;
using Herald.Generator.Model;

namespace Herald.Generator
{
    public sealed partial class DispatchGenerator
    {
        /// <summary>
        /// Writes the JSON helpers of an assembly's own payload types (objects, enums, nullables, collections,
        /// dictionaries): a <c>Write</c> and a <c>Read</c> each, named by <see cref="DurableEmitter.HelperNames"/>. The
        /// primitive types' helpers and the failures with their member path are the runtime's
        /// (<c>Herald.Infrastructure.DurableJson</c>); the rules are written down on <see cref="DurableEmitter"/>.
        /// </summary>
        internal static class JsonEmitter
        {
            private const string Json = "global::System.Text.Json";
            private const string Writer = Json + ".Utf8JsonWriter";
            private const string Reader = Json + ".Utf8JsonReader";
            private const string Token = Json + ".JsonTokenType";
            private const string JsonException = Json + ".JsonException";
            private const string Exception = "global::System.Exception";
            private const string Invariant = "global::System.Globalization.CultureInfo.InvariantCulture";
            private const string IgnoreCase = "global::System.StringComparison.OrdinalIgnoreCase";

            public static void WriteHelpers(SourceWriter w, DurableFileSpec file, DurableEmitter.HelperNames helpers)
            {
                w.Line("/// <summary>Reflection-free JSON for the durable events of this assembly: a Write and a Read per payload type.</summary>");
                w.Open("private static class DurableJson");
                var first = true;
                foreach (var spec in file.JsonTypes)
                {
                    var name = helpers[spec.TypeName];
                    if (!DurableEmitter.HelperNames.IsPrimitive(spec.Kind))
                    {
                        if (!first)
                            w.Line();
                        first = false;
                    }
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
                            break; // Herald.Infrastructure.DurableJson.Write{Kind}/Read{Kind}
                    }
                }
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

            private static void WriteNullable(SourceWriter w, JsonTypeSpec spec, string name, DurableEmitter.HelperNames helpers)
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

            private static void WriteCollection(SourceWriter w, JsonTypeSpec spec, string name, DurableEmitter.HelperNames helpers)
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

            private static void WriteDictionary(SourceWriter w, JsonTypeSpec spec, string name, DurableEmitter.HelperNames helpers)
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

            private static void WriteObject(SourceWriter w, JsonTypeSpec spec, string name, DurableEmitter.HelperNames helpers)
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
        }
    }
}
