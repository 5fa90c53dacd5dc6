using System.Collections.Generic;
using System.Linq;
using Herald.Generator.Model;

namespace Herald.Generator
{
    public sealed partial class DispatchGenerator
    {
        // The publish through a DispatchContext: scoped or transient handler classes, handlers of referenced assemblies,
        // asynchronous handlers (with the continuation that resumes at the right one) and durable events; and the redirect
        // of a non-sealed static type to the runtime type's own entry.
        internal static partial class Emitter
        {
            /// <summary>The publish through a <c>DispatchContext</c>: per-publish scopes, exported handlers, durable events.</summary>
            private static void WriteContextPublishBody(SourceWriter w, EventDispatchSpec spec)
            {
                var type = spec.Event.TypeName;
                if (spec.Durable is not null)
                {
                    // Serialized first: a payload over the size limit throws before any handler runs.
                    w.Line("var envelope = " + Durable + ".Prepare(bus, e);");
                    if (spec.Handlers.Count == 0)
                    {
                        w.Line(Durable + ".Enqueue(bus, envelope);");
                        return;
                    }
                }
                w.Line("var context = new " + Context + "(bus);");
                w.Open("try");
                foreach (var handler in spec.Handlers)
                    w.Line("try { " + SyncCall(handler) + "; } catch (" + Exception + " ex) when (context.Collect(ex, " + Quote(handler.DisplayName) + ")) { }");
                w.Line("context.Complete(typeof(" + type + "));");
                if (spec.Durable is not null)
                    w.Line(Durable + ".Enqueue(bus, envelope);");
                w.Close();
                w.Open("finally");
                w.Line("context.Release();");
                w.Close();
            }

            private static void WriteRedirect(SourceWriter w, EventDispatchSpec spec)
            {
                if (spec.Event.IsExact)
                    return;
                w.Line("if (e.GetType() != typeof(" + spec.Event.TypeName + ") && " + Registry + ".TryRedirect(bus, e, typeof(" + spec.Event.TypeName + ")))");
                w.Line("    return;");
            }

            private static void WriteRedirectAsync(SourceWriter w, EventDispatchSpec spec)
            {
                if (spec.Event.IsExact)
                    return;
                w.Line("if (e.GetType() != typeof(" + spec.Event.TypeName + ") && " + Registry + ".TryRedirectAsync(bus, e, typeof(" + spec.Event.TypeName + "), cancellationToken, out var redirected))");
                w.Line("    return redirected;");
            }

            /// <summary>The async publish through a <c>DispatchContext</c>.</summary>
            private static void WriteContextPublishAsyncBody(SourceWriter w, EventDispatchSpec spec)
            {
                var type = spec.Event.TypeName;
                if (spec.Durable is not null && spec.Handlers.Count == 0)
                {
                    w.Open("try");
                    w.Line("cancellationToken.ThrowIfCancellationRequested();");
                    w.Line("var envelope = " + Durable + ".Prepare(bus, e);");
                    w.Line("return " + Append(spec.Durable) + ";");
                    w.Close();
                    w.Open("catch (" + Exception + " ex)");
                    w.Line("return " + Context + ".FromException(ex, cancellationToken);");
                    w.Close();
                    return;
                }
                w.Line("var context = new " + Context + "(bus);");
                w.Open("try");
                if (spec.Durable is not null)
                    w.Line("var envelope = " + Durable + ".Prepare(bus, e);");
                if (spec.HasAsyncHandlers)
                    w.Line(ValueTask + " pending;");
                for (var step = 0; step < spec.Handlers.Count; step++)
                {
                    var handler = spec.Handlers[step];
                    w.Line("cancellationToken.ThrowIfCancellationRequested();");
                    if (!handler.IsAsync)
                    {
                        w.Line("try { " + Call(handler, "cancellationToken") + "; } " + Catch(handler, "{ }"));
                        continue;
                    }
                    w.Line("try { pending = " + AsyncCall(handler) + "; } " + Catch(handler, "{ pending = default; }"));
                    w.Line("if (!pending.IsCompleted)");
                    w.Line(spec.Durable is null
                        ? "    return ContinueAsync(context, e, cancellationToken, pending, " + step + ");"
                        : "    return ContinueAsync(bus, context, e, envelope, cancellationToken, pending, " + step + ");");
                    w.Line("try { pending.GetAwaiter().GetResult(); } " + Catch(handler, "{ }"));
                }
                w.Line("context.Complete(typeof(" + type + "));");
                w.Line(spec.Durable is null ? "return default;" : "return " + Append(spec.Durable) + ";");
                w.Close();
                w.Open("catch (" + Exception + " ex)");
                w.Line("context.Release();");
                w.Line("return " + Context + ".FromException(ex, cancellationToken);");
                w.Close();
            }

            private static void WriteContinueAsync(SourceWriter w, EventDispatchSpec spec)
            {
                var type = spec.Event.TypeName;
                var handlers = spec.Handlers;
                var firstAsync = Enumerable.Range(0, handlers.Count).First(i => handlers[i].IsAsync);
                var resumeLabels = new HashSet<int>();
                for (var i = 0; i < handlers.Count; i++)
                {
                    if (handlers[i].IsAsync)
                        resumeLabels.Add(i + 1);
                }

                w.Open(spec.Durable is null
                    ? "private static async " + ValueTask + " ContinueAsync(" + Context + " context, " + type + " e, " + Token + " cancellationToken, " + ValueTask + " pending, int step)"
                    : "private static async " + ValueTask + " ContinueAsync(" + Bus + " bus, " + Context + " context, " + type + " e, " + Envelope + " envelope, " + Token + " cancellationToken, " + ValueTask + " pending, int step)");
                w.Open("try");
                w.Open("switch (step)");
                for (var i = firstAsync; i < handlers.Count; i++)
                {
                    var handler = handlers[i];
                    if (!handler.IsAsync)
                        continue;
                    w.Line(i == firstAsync ? "default:" : "case " + i + ":");
                    w.Indent();
                    w.Line("try { await pending.ConfigureAwait(false); } " + Catch(handler, "{ }"));
                    w.Line("goto " + Label(i + 1, handlers.Count) + ";");
                    w.Outdent();
                }
                w.Close();
                for (var i = firstAsync + 1; i < handlers.Count; i++)
                {
                    var handler = handlers[i];
                    if (resumeLabels.Contains(i))
                        w.Line(Label(i, handlers.Count) + ":");
                    w.Line("cancellationToken.ThrowIfCancellationRequested();");
                    if (handler.IsAsync)
                        w.Line("try { await " + AsyncCall(handler) + ".ConfigureAwait(false); } " + Catch(handler, "{ }"));
                    else
                        w.Line("try { " + Call(handler, "cancellationToken") + "; } " + Catch(handler, "{ }"));
                }
                if (resumeLabels.Contains(handlers.Count))
                    w.Line(Label(handlers.Count, handlers.Count) + ":");
                w.Line("context.Complete(typeof(" + type + "));");
                if (spec.Durable is not null)
                    w.Line("await " + Append(spec.Durable) + ".ConfigureAwait(false);");
                w.Close();
                w.Open("finally");
                w.Line("context.Release();");
                w.Close();
                w.Close();
            }
        }
    }
}
