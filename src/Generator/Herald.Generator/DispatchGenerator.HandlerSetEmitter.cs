using System.Collections.Generic;
using System.Linq;
using Herald.Generator.Model;

namespace Herald.Generator
{
    public sealed partial class DispatchGenerator
    {
        // The publish over a handler set: every handler synchronous and local, singletons resolved once per bus into the
        // fields of a generated set, run in one protected region (the fast path that the typed path and the interceptors
        // inline), with the failures handled away from it.
        internal static partial class Emitter
        {
            private static void WritePublish(SourceWriter w, EventDispatchSpec spec, int index)
            {
                var type = spec.Event.TypeName;
                if (IsInlined(spec))
                    w.Line(Inline);
                w.Open("internal static void Publish(" + Bus + " bus, " + type + " e)");
                WriteRedirect(w, spec);
                if (!UsesHandlerSet(spec))
                {
                    WriteContextPublishBody(w, spec);
                    w.Close();
                    return;
                }

                if (HasInstanceHandlers(spec))
                {
                    w.Line("var handlers = " + SetOf(index) + ".For(bus);");
                    w.Open("if (handlers is null)");
                    w.Line("PublishResolving(bus, e);");
                    w.Line("return;");
                    w.Close();
                }
                WriteIsolatedRun(w, spec, isAsync: false);
                w.Close();
                WriteRunFrom(w, spec, index, isAsync: false);
                if (!HasInstanceHandlers(spec))
                    return;

                w.Line();
                w.Line("/// <summary>The first publish on a bus (creates its handler set), or every publish when a handler class is scoped or transient.</summary>");
                w.Line(NoInlining);
                w.Open("private static void PublishResolving(" + Bus + " bus, " + type + " e)");
                w.Open("if (" + SetOf(index) + ".Resolve(bus, Handlers" + index + ".Create) is not null)");
                w.Line("Publish(bus, e);");
                w.Line("return;");
                w.Close();
                WriteContextPublishBody(w, spec);
                w.Close();
            }

            /// <summary>
            /// The handlers of a handler-set publish in one <c>try</c>, with nothing else on the way: a <c>step</c>
            /// local says which handler is running, and a failure leaves through the catch into <c>PublishFrom</c>
            /// (sync: when the filter says the failure is isolated) or <c>PublishAsyncFrom</c> (async: every failure,
            /// which it turns into the returned task), where it is recorded and the remaining handlers run, each
            /// isolated, so RunAll semantics hold. One protected region instead of one per handler lets the JIT keep the
            /// set and the event in registers, and keeping the failure list out of it leaves no store or check for it
            /// on the fast path: per handler, the publish costs what the direct call costs.
            /// </summary>
            private static void WriteIsolatedRun(SourceWriter w, EventDispatchSpec spec, bool isAsync)
            {
                var setClasses = SetClasses(spec);
                var token = isAsync ? "cancellationToken" : "default";
                var handlers = spec.Handlers;
                var many = handlers.Count > 1;
                if (many)
                    w.Line("var step = 0;");
                // The async form returns after the protected region, and its catch (which takes every failure: the
                // returned task carries it) has a filter all the same: the JIT (.NET 10) inlines a method whose catch
                // has a filter, and not one whose catch has none.
                if (isAsync)
                    w.Line(ValueTask + " completion = default;");
                w.Open("try");
                for (var i = 0; i < handlers.Count; i++)
                {
                    if (i > 0)
                        w.Line("step = " + i + ";");
                    if (isAsync)
                        w.Line("cancellationToken.ThrowIfCancellationRequested();");
                    w.Line(SetCall(handlers[i], setClasses, token) + ";");
                }
                w.Close();
                // The catch does not take the set: a local the catch reads is kept on the stack as well as in a
                // register (EH write-through), and the bus's set never changes once stored, so PublishFrom reads it again.
                var from = "e, " + (many ? "step" : "0") + ", ex";
                if (isAsync)
                {
                    w.Open("catch (" + Exception + " ex) when (" + Sets + ".Catches(ex))");
                    w.Line("completion = PublishAsyncFrom(bus, " + from + ", cancellationToken);");
                }
                else
                {
                    w.Open("catch (" + Exception + " ex) when (" + Sets + ".Isolates(bus, ex))");
                    w.Line("PublishFrom(bus, " + from + ");");
                }
                w.Close();
                if (isAsync)
                    w.Line("return completion;");
            }

            /// <summary>
            /// The rest of a handler-set publish after handler <c>failed</c> threw: records its failure, runs the
            /// handlers after it, each isolated, and throws (sync) or returns (async) every failure together. The async
            /// form first lets a failure that is not isolated (StopOnFirst, or the caller's cancellation) end the publish
            /// unchanged.
            /// </summary>
            private static void WriteRunFrom(SourceWriter w, EventDispatchSpec spec, int index, bool isAsync)
            {
                var handlers = spec.Handlers;
                var setClasses = SetClasses(spec);
                var token = isAsync ? ", cancellationToken" : string.Empty;
                w.Line();
                w.Line("/// <summary>Records the failure of handler <paramref name=\"failed\"/>, runs the handlers after it, and " + (isAsync ? "returns" : "throws") + " every failure.</summary>");
                w.Line(NoInlining);
                w.Open("private static " + (isAsync ? ValueTask + " PublishAsyncFrom" : "void PublishFrom") + "(" + Bus + " bus, "
                    + spec.Event.TypeName + " e, int failed, " + Exception + " exception" + (isAsync ? ", " + Token + " cancellationToken" : string.Empty) + ")");
                if (isAsync)
                {
                    w.Line("if (!" + Sets + ".Isolates(bus, exception, cancellationToken))");
                    w.Line("    return " + Context + ".FromException(exception, cancellationToken);");
                }
                if (handlers.Skip(1).Any(h => h.Kind == CallKind.Instance))
                    w.Line("var handlers = " + SetOf(index) + ".For(bus)!;");
                var name = handlers.Count > 1
                    ? "failed switch { " + string.Join(", ", handlers.Take(handlers.Count - 1).Select((h, i) => i + " => " + Quote(h.DisplayName))) + ", _ => " + Quote(handlers[handlers.Count - 1].DisplayName) + " }"
                    : Quote(handlers[0].DisplayName);
                w.Line("var failures = " + Sets + ".FailedAt(" + name + ", exception);");
                if (handlers.Count > 1)
                {
                    if (isAsync)
                        w.Open("try");
                    w.Open("switch (failed)");
                    for (var i = 1; i < handlers.Count; i++)
                    {
                        var handler = handlers[i];
                        w.Line("case " + (i - 1) + ":");
                        w.Indent();
                        if (isAsync)
                            w.Line("cancellationToken.ThrowIfCancellationRequested();");
                        w.Line("try { " + SetCall(handler, setClasses, isAsync ? "cancellationToken" : "default") + "; } catch (" + Exception + " ex) when (" + Sets + ".Collect(bus, failures, ex, " + Quote(handler.DisplayName) + token + ")) { }");
                        w.Line(i + 1 < handlers.Count ? "goto case " + i + ";" : "break;");
                        w.Outdent();
                    }
                    w.Close();
                    if (isAsync)
                    {
                        w.Close();
                        w.Open("catch (" + Exception + " ex)");
                        w.Line("return " + Context + ".FromException(ex, cancellationToken);");
                        w.Close();
                    }
                }
                w.Line(isAsync
                    ? "return " + Sets + ".FailedAsync(typeof(" + spec.Event.TypeName + "), failures);"
                    : Sets + ".Throw(typeof(" + spec.Event.TypeName + "), failures);");
                w.Close();
            }


            /// <summary>
            /// Whether the event's publish runs over a handler set (singleton handlers in fields, resolved once per bus)
            /// instead of a <c>DispatchContext</c>: every handler is synchronous and local (static, or an instance
            /// handler of this assembly), and the event is not durable. The other shapes keep the general path.
            /// </summary>
            private static bool UsesHandlerSet(EventDispatchSpec spec)
            {
                if (spec.Durable is not null || spec.Handlers.Count == 0)
                    return false;
                foreach (var handler in spec.Handlers)
                {
                    if (handler.IsAsync || handler.Kind == CallKind.Exported)
                        return false;
                }
                return true;
            }

            /// <summary>
            /// Whether an event's publish methods are inlined into their callers (the typed path, the interceptors, the
            /// dispatcher): a handler-set publish of up to <see cref="MaxInlinedHandlers"/> handlers. The other shapes
            /// create a per-publish context, a scope or an envelope, next to which a call costs nothing.
            /// </summary>
            private static bool IsInlined(EventDispatchSpec spec) => UsesHandlerSet(spec) && spec.Handlers.Count <= MaxInlinedHandlers;

            private static bool HasInstanceHandlers(EventDispatchSpec spec)
                => spec.Handlers.Any(h => h.Kind == CallKind.Instance);

            /// <summary>The handler classes of an event's instance handlers, in order of first use: one set field each.</summary>
            private static List<string> SetClasses(EventDispatchSpec spec)
            {
                var classes = new List<string>();
                foreach (var handler in spec.Handlers)
                {
                    if (handler.Kind == CallKind.Instance && !classes.Contains(handler.TypeName))
                        classes.Add(handler.TypeName);
                }
                return classes;
            }

            private static string SetOf(int index) => "global::Herald.Infrastructure.HandlerSet<Handlers" + index + ">";

            private static void WriteHandlerSet(SourceWriter w, EventDispatchSpec spec, int index)
            {
                var classes = SetClasses(spec);
                var name = "Handlers" + index;
                w.Line("/// <summary>The handler instances of <c>" + Xml(spec.Event.DisplayName) + "</c> on one bus, resolved on its first publish there.</summary>");
                w.Open("private sealed class " + name);
                for (var i = 0; i < classes.Count; i++)
                    w.Line("internal readonly " + classes[i] + " H" + i + ";");
                w.Line();
                w.Line("private " + name + "(" + string.Join(", ", classes.Select((c, i) => c + " h" + i)) + ")");
                w.Line("{");
                for (var i = 0; i < classes.Count; i++)
                    w.Line("    H" + i + " = h" + i + ";");
                w.Line("}");
                w.Line();
                w.Line("/// <summary>The set of <paramref name=\"bus\"/>; null when a handler class is not a singleton there.</summary>");
                w.Open("internal static " + name + "? Create(" + Bus + " bus)");
                for (var i = 0; i < classes.Count; i++)
                {
                    w.Line("if (!" + Sets + ".TryGetSingleton<" + classes[i] + ">(bus, out var h" + i + "))");
                    w.Line("    return null;");
                }
                w.Line("return new " + name + "(" + string.Join(", ", classes.Select((c, i) => "h" + i)) + ");");
                w.Close();
                w.Close();
            }

            /// <summary>The call of a handler in a handler-set publish: instances come from the set's fields.</summary>
            private static string SetCall(HandlerCallSpec handler, List<string> setClasses, string token)
                => handler.Kind == CallKind.Instance
                    ? "handlers.H" + setClasses.IndexOf(handler.TypeName) + "." + handler.MethodName + Arguments(handler, token)
                    : Call(handler, token);

            private static void WritePublishAsync(SourceWriter w, EventDispatchSpec spec, int index)
            {
                var type = spec.Event.TypeName;
                if (IsInlined(spec))
                    w.Line(Inline);
                w.Open("internal static " + ValueTask + " PublishAsync(" + Bus + " bus, " + type + " e, " + Token + " cancellationToken)");
                WriteRedirectAsync(w, spec);
                if (!UsesHandlerSet(spec))
                {
                    WriteContextPublishAsyncBody(w, spec);
                    w.Close();
                    return;
                }

                if (HasInstanceHandlers(spec))
                {
                    w.Line("var handlers = " + SetOf(index) + ".For(bus);");
                    w.Line("if (handlers is null)");
                    w.Line("    return PublishAsyncResolving(bus, e, cancellationToken);");
                }
                WriteIsolatedRun(w, spec, isAsync: true);
                w.Close();
                WriteRunFrom(w, spec, index, isAsync: true);
                if (!HasInstanceHandlers(spec))
                    return;

                w.Line();
                w.Line("/// <summary>The first publish on a bus (creates its handler set), or every publish when a handler class is scoped or transient.</summary>");
                w.Line(NoInlining);
                w.Open("private static " + ValueTask + " PublishAsyncResolving(" + Bus + " bus, " + type + " e, " + Token + " cancellationToken)");
                w.Line("if (" + SetOf(index) + ".Resolve(bus, Handlers" + index + ".Create) is not null)");
                w.Line("    return PublishAsync(bus, e, cancellationToken);");
                WriteContextPublishAsyncBody(w, spec);
                w.Close();
            }
        }
    }
}
