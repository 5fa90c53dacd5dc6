using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Herald.Durable;

/// <summary>
/// A durable transport that configuration can select (<c>Herald:Transport</c>). A transport package declares its
/// implementation with <see cref="HeraldTransportAttribute"/>; the generator of every app that references the package
/// registers it at build time, so the switch needs no code change and no assembly scanning.
/// </summary>
public interface IHeraldTransport
{
    /// <summary>The name configuration uses: <c>Sqlite</c>, <c>Redis</c>, <c>Postgres</c>.</summary>
    static abstract string Name { get; }

    /// <summary>Configures <paramref name="options"/> from the transport's section (<c>Herald:&lt;Name&gt;</c>).</summary>
    static abstract void Configure(HeraldOptions options, IConfiguration section);
}

/// <summary>Declares the transport an assembly provides (see <see cref="IHeraldTransport"/>).</summary>
/// <param name="transportType">The class implementing <see cref="IHeraldTransport"/>.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class HeraldTransportAttribute(Type transportType) : Attribute
{
    /// <summary>The class implementing <see cref="IHeraldTransport"/>.</summary>
    public Type TransportType { get; } = transportType;
}
